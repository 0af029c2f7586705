# Real-mode guest for the replay tests: reads port 0x99, where the PC has no device (it reads
# 0xff), eight times, adds up what it read, and ends through the debug-exit port with the low
# byte of the sum (0xf8 on an unchanged VMM: exit status 0x1f1). A replay with a device at 0x99 departs from the
# recording at the first read that device answers differently.
        .code16
        .globl _start
_start:
        xor     %bx, %bx
        mov     $8, %cx
1:      in      $0x99, %al
        add     %al, %bl
        loop    1b
        mov     %bl, %al
        out     %al, $0xf4
2:      hlt
        jmp     2b
