# A guest that enters 32-bit protected mode from real mode (GDT, CR0.PE, far jump) and reports
# from 32-bit code: the VMM sees I/O exits of a 32-bit code segment.
        .include "enter_protected.inc"

        .code32
protected:
        flat_data_segments
        mov     $0x7000, %esp
        mov     $0x32, %al
        out     %al, $0x10
        mov     $0x10, %dx
        mov     $0x12345678, %eax
        out     %eax, %dx               # 32-bit operand without a prefix
        mov     $0x99, %al
        out     %al, $0x12
1:      hlt
        jmp     1b

        .p2align 3
gdt:    .quad   0
        .quad   0x00cf9a000000ffff      # 0x08: 32-bit code, base 0, 4 GiB
        .quad   0x00cf92000000ffff      # 0x10: data
gdt_descriptor:
        .word   gdt_descriptor - gdt - 1
        .long   gdt
