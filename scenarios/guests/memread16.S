# Real-mode guest that reads guest RAM at 0x8000 in a loop and reports each byte on port 0x10:
# for revoking guest memory while the guest runs (the next read becomes an EPT violation).
        .code16
        .globl _start
_start:
        xor     %ax, %ax
        mov     %ax, %ds
1:      movb    (0x8000), %al
        out     %al, $0x10
        jmp     1b
