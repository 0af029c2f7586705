# A guest that goes from real mode through protected mode to 64-bit long mode (page tables
# mapping the first 2 MiB, a GDT with a TSS, an IDT) and takes injected interrupts there:
# vector 0x20 reports a count on port 0x13. It reports from 64-bit code on port 0x10 first.
        .include "enter_protected.inc"

        .code32
protected:
        mov     $0x10, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        mov     $pml4, %eax
        mov     %eax, %cr3
        mov     %cr4, %eax
        or      $0x20, %eax             # PAE
        mov     %eax, %cr4
        mov     $0xc0000080, %ecx
        rdmsr
        or      $0x100, %eax            # EFER.LME
        wrmsr
        mov     %cr0, %eax
        or      $0x80000000, %eax       # PG: long mode is active
        mov     %eax, %cr0
        ljmpl   $0x18, $long

        .code64
long:
        mov     $0x10, %ax
        mov     %ax, %ds
        mov     %ax, %ss
        mov     $0x7000, %rsp
        mov     $0x28, %ax
        ltr     %ax
        lidt    idt_descriptor
        mov     $0x64, %al
        out     %al, $0x10
        mov     $0x10, %dx
        mov     $0x11223344, %eax
        out     %eax, %dx
        sti
idle:   hlt
        jmp     idle

handler:
        incb    count(%rip)
        movb    count(%rip), %al
        out     %al, $0x13
        iretq
count:  .byte   0

        .p2align 3
gdt:    .quad   0
        .quad   0x00cf9a000000ffff      # 0x08: 32-bit code
        .quad   0x00cf92000000ffff      # 0x10: data
        .quad   0x00af9a000000ffff      # 0x18: 64-bit code
        .quad   0                       # 0x20: unused
tss_descriptor:                          # 0x28: 64-bit TSS (16 bytes), base patched below
        .word   tss_end - tss - 1
        .word   tss
        .byte   0
        .byte   0x89
        .byte   0
        .byte   0
        .long   0
        .long   0
gdt_end:
gdt_descriptor:
        .word   gdt_end - gdt - 1
        .long   gdt

        .p2align 4
idt:    .fill   0x20 * 16, 1, 0
idt_0x20:                                # interrupt gate, 64-bit code segment
        .word   handler
        .word   0x18
        .byte   0
        .byte   0x8e
        .word   0
        .long   0
        .long   0
idt_end:
idt_descriptor:
        .word   idt_end - idt - 1
        .quad   idt

        .p2align 4
tss:    .fill   104, 1, 0
tss_end:

        .p2align 12
pml4:   .quad   pdpt + 3
        .fill   511, 8, 0
pdpt:   .quad   pd + 3
        .fill   511, 8, 0
pd:     .quad   0x83                    # 2 MiB page at 0, present, writable
        .fill   511, 8, 0
