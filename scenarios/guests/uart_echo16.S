# Real-mode guest for console input: it polls COM1's line status for received data and echoes
# every byte until a newline, then ends through the debug-exit port with the number of bytes
# before it (exit status (n << 1) | 1).
        .code16
        .globl _start
_start:
        xor     %cx, %cx
        mov     $0x3fd, %dx
wait:   in      %dx, %al                # LSR: bit 0, data ready
        test    $1, %al
        jz      wait
        mov     $0x3f8, %dx
        in      %dx, %al                # RBR
        out     %al, %dx                # echo (THR)
        mov     $0x3fd, %dx
        cmp     $'\n', %al
        je      done
        inc     %cx
        jmp     wait
done:   mov     %cl, %al
        out     %al, $0xf4
1:      hlt
        jmp     1b
