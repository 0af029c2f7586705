# A Multiboot v1 guest (an ELF32 kernel at 1 MiB): it says hello on COM1 and prints what the
# boot loader told it: the loader's name, the command line, lower and upper memory, each module
# (where it lies, the 32-bit sum of its bytes and its string; it must be page-aligned, as the
# header asks) and the memory map. It ends through the debug-exit port with the number of
# memory-map entries (exit status (n << 1) | 1); a wrong boot magic or a misplaced module fails
# with 0x7f (report32.inc).
        .include "report32.inc"

        .set    INFO_MEMORY, 1 << 0
        .set    INFO_CMDLINE, 1 << 2
        .set    INFO_MODULES, 1 << 3
        .set    INFO_MMAP, 1 << 6
        .set    INFO_LOADER_NAME, 1 << 9

# Prints `label` and the string the information structure points to at `offset`, if `flag`
# says it is there.
        .macro  show_string flag, offset, label
        testl   $\flag, (%edi)
        jz      .Lshown\@
        print   "\label"
        mov     \offset(%edi), %esi
        call    puts
        print   "\n"
.Lshown\@:
        .endm

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
        print   "Hello from a Multiboot guest on novasim\n"
        cmp     $0x2badb002, %eax
        expect  e, "the boot loader's magic is not 0x2badb002"
        show_string INFO_LOADER_NAME, 64, "boot loader: "
        show_string INFO_CMDLINE, 16, "command line: "
        call    show_memory
        call    show_modules
        call    show_mmap
        print   "bye\n"
        call    debug_exit

show_memory:
        testl   $INFO_MEMORY, (%edi)
        jz      1f
        print   "memory: lower "
        mov     4(%edi), %eax
        call    put_dec
        print   " KiB, upper "
        mov     8(%edi), %eax
        call    put_dec
        print   " KiB\n"
1:      ret

# EBX walks the module list, EBP counts.
show_modules:
        testl   $INFO_MODULES, (%edi)
        jz      2f
        mov     24(%edi), %ebx
        xor     %ebp, %ebp
1:      cmp     20(%edi), %ebp
        jae     2f
        print   "module "
        mov     %ebp, %eax
        call    put_dec
        print   ": "
        mov     (%ebx), %eax
        test    $0xfff, %eax
        expect  z, "the module does not start on a page"
        call    put_hex
        print   "-"
        mov     4(%ebx), %eax
        call    put_hex
        print   " sum "
        call    module_sum
        call    put_hex
        print   " string '"
        mov     8(%ebx), %esi
        call    puts
        print   "'\n"
        add     $16, %ebx
        inc     %ebp
        jmp     1b
2:      ret

# The 32-bit sum of the bytes of the module at EBX, into EAX.
module_sum:
        push    %ecx
        push    %edx
        mov     (%ebx), %ecx
        xor     %eax, %eax
1:      cmp     4(%ebx), %ecx
        jae     2f
        movzbl  (%ecx), %edx
        add     %edx, %eax
        inc     %ecx
        jmp     1b
2:      pop     %edx
        pop     %ecx
        ret

# EBX walks the map, ECX is its end, EBP counts the entries; EAX: the count.
show_mmap:
        xor     %ebp, %ebp
        testl   $INFO_MMAP, (%edi)
        jz      2f
        mov     48(%edi), %ebx
        mov     44(%edi), %ecx
        add     %ebx, %ecx
1:      cmp     %ecx, %ebx
        jae     2f
        print   "memory map: base "
        mov     4(%ebx), %eax
        mov     8(%ebx), %edx
        call    put_hex64
        print   " length "
        mov     12(%ebx), %eax
        mov     16(%ebx), %edx
        call    put_hex64
        print   " type "
        mov     20(%ebx), %eax
        call    put_dec
        print   "\n"
        inc     %ebp
        add     (%ebx), %ebx            # size does not count itself
        add     $4, %ebx
        jmp     1b
2:      mov     %ebp, %eax
        ret

        .section .bss
        .p2align 4
        .skip   4096
stack_top:
