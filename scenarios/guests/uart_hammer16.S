# Real-mode guest for the UART benchmark: it sends 8192 bytes on COM1, polling the line status
# for an empty transmitter before each (two or more port-I/O exits per byte, all answered by the
# UART model), then ends through the debug-exit port with status 1 ((0 << 1) | 1).
        .code16
        .globl _start
_start:
        mov     $8192, %cx
next:   mov     $0x3fd, %dx
wait:   in      %dx, %al                # LSR: bit 5, transmitter holding register empty
        test    $0x20, %al
        jz      wait
        mov     $0x3f8, %dx
        mov     $'u', %al
        out     %al, %dx                # THR
        loop    next
        xor     %al, %al
        out     %al, $0xf4
1:      hlt
        jmp     1b
