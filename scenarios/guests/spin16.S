# Real-mode guest that says hello on port 0x10 and then spins without ever exiting again: for
# recall of a running vCPU, budget preemption and the watchdog.
        .code16
        .globl _start
_start:
        mov     $0x42, %al
        out     %al, $0x10
spin:   jmp     spin
        hlt                             # reached only if the VMM skips the loop (RIP += 2)
        mov     $0x99, %al
        out     %al, $0x12
1:      jmp     1b
