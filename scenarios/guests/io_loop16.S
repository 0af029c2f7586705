# Real-mode guest for the exit benchmark: port I/O exits in a loop, nothing else.
        .code16
        .globl _start
_start:
1:      out     %al, $0x80
        jmp     1b
