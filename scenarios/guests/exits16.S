# Real-mode guest for the VM-exit tests: one instruction of each kind that leaves KVM, in a fixed
# order, reporting what it got through port 0x10. Loaded at 0x1000, entered at CS=0 IP=0x1000,
# with guest RAM below 0xc0000 (so 0xc0000 and up is MMIO).
        .code16
        .globl _start
_start:
        mov     $0x11, %al
        out     %al, $0x10              # OUT imm8, AL: 2 bytes
        mov     $0x10, %dx
        mov     $0x2222, %ax
        out     %ax, %dx                # OUT DX, AX: 1 byte
        in      $0x11, %al              # IN: the VMM answers
        out     %al, $0x10              # ... and the guest echoes it
        mov     $0xc000, %ax
        mov     %ax, %ds
        movb    (0), %al                # MMIO read at 0xc0000
        out     %al, $0x10
        movb    $0x5a, (1)              # MMIO write at 0xc0001
        xor     %ax, %ax
        mov     %ax, %ds
        mov     $0xdead0000, %ecx
        rdmsr                           # an MSR KVM does not know
        mov     $0x10, %dx
        out     %eax, %dx               # OUT DX, EAX: 0x66 prefix in real mode
        mov     $0xdead0001, %ecx
        mov     $0x01234567, %eax
        mov     $0x89abcdef, %edx
        wrmsr
        hlt                             # the VMM parks or skips it
        mov     $0x99, %al
        out     %al, $0x12              # done
1:      hlt
        jmp     1b
