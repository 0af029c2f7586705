# Real-mode guest that triple-faults: an interrupt with an empty interrupt table cannot be
# delivered (#GP), neither can the #GP (#DF), nor the #DF: shutdown.
        .code16
        .globl _start
_start:
        lidt    empty_idt
        int     $3
        hlt
empty_idt:
        .word   0
        .long   0
