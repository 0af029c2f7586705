# A Multiboot v1 guest (an ELF32 kernel at 1 MiB): it says hello on COM1, prints the command
# line and the memory map the boot loader gave it, and ends through the debug-exit port with
# the number of memory-map entries (exit status (n << 1) | 1).
        .code32
        .section .text
        .globl _start
        .p2align 2
multiboot_header:
        .long   0x1badb002              # magic
        .long   0x00000003              # flags: page-aligned modules, memory information
        .long   -(0x1badb002 + 0x00000003)

_start:
        mov     $stack_top, %esp
        mov     %ebx, %edi              # the Multiboot information structure
        mov     $hello, %esi
        call    puts
        cmp     $0x2badb002, %eax
        jne     fail
        testl   $(1 << 2), (%edi)       # a command line?
        jz      1f
        mov     $cmdline_is, %esi
        call    puts
        mov     16(%edi), %esi
        call    puts
        mov     $newline, %esi
        call    puts
1:      xor     %ebp, %ebp              # memory-map entries seen
        testl   $(1 << 6), (%edi)
        jz      done
        mov     48(%edi), %ebx          # mmap_addr
        mov     44(%edi), %ecx          # mmap_length
        add     %ebx, %ecx              # its end
next:   cmp     %ecx, %ebx
        jae     done
        mov     $mmap_base, %esi
        call    puts
        mov     8(%ebx), %eax           # base, high half
        call    put_hex
        mov     4(%ebx), %eax           # base, low half
        call    put_hex
        mov     $mmap_length, %esi
        call    puts
        mov     12(%ebx), %eax
        call    put_hex
        mov     $mmap_type, %esi
        call    puts
        mov     20(%ebx), %eax
        call    put_hex
        mov     $newline, %esi
        call    puts
        inc     %ebp
        add     (%ebx), %ebx            # size does not count itself
        add     $4, %ebx
        jmp     next
done:   mov     $bye, %esi
        call    puts
        mov     %ebp, %eax
        call    debug_exit
fail:   mov     $0x7f, %al
        call    debug_exit

        .include "serial.inc"

hello:       .asciz "Hello from a Multiboot guest on novasim\n"
cmdline_is:  .asciz "command line: "
mmap_base:   .asciz "memory map: base "
mmap_length: .asciz " length "
mmap_type:   .asciz " type "
bye:         .asciz "bye\n"
newline:     .asciz "\n"

        .section .bss
        .p2align 4
        .skip   4096
stack_top:
