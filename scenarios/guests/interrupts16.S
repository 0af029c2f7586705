# Real-mode guest that takes injected interrupts: vector 0x20 (IVT at 0) counts and reports on
# port 0x10, then returns. The main loop first has interrupts off for a while (a window the VMM
# must wait for), then halts with interrupts on, forever.
        .code16
        .globl _start
_start:
        cli
        xor     %ax, %ax
        mov     %ax, %ds
        movw    $handler, (0x20 * 4)
        movw    $0, (0x20 * 4 + 2)
        mov     $0x7000, %sp
        mov     $0x01, %al
        out     %al, $0x14              # "interrupts are off now"
        mov     $200, %cx
1:      loop    1b                      # a stretch with IF = 0
        sti
        nop                             # IF = 1 here: where the interrupt window opens
        nop
        nop
idle:   hlt
        jmp     idle

handler:
        incb    count
        movb    count, %al
        out     %al, $0x10
        iret
count:  .byte   0
