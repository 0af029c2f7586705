# The guest of the vmm_x86 scenario (vmm-on-microhypervisors.md §2.1): one 4 KiB page mapped at
# guest-physical 0xfffff000, the page of the x86 reset vector. With CS base 0xffff0000 the
# instruction pointers read 0xffxx. Layout (page offsets): NOPs up to 0xf7e; RDTSCP; HLT; HLT;
# JMP $; HLT; JMP $; the reset vector at 0xff0 jumps back to 0xf7e; HLT everywhere else.
        .code16
        .globl _start
_start:
        .fill   0xf7e, 1, 0x90
        rdtscp                          # 0xf7e
        hlt                             # 0xf81
        hlt                             # 0xf82
1:      jmp     1b                      # 0xf83
        hlt                             # 0xf85
2:      jmp     2b                      # 0xf86
        .fill   0xff0 - (. - _start), 1, 0xf4
        jmp     _start + 0xf7e          # 0xff0: the reset vector
        .fill   0x1000 - (. - _start), 1, 0xf4
