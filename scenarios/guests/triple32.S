# A guest that triple-faults in protected mode: with an empty interrupt table, the interrupt the
# VMM injects at its HLT cannot be delivered (#GP), nor can the #GP (#DF), nor the #DF: shutdown.
# (An INT3 would do on VT-x, but KVM on PVM fails to emulate it rather than fault.)
        .include "enter_protected.inc"

        .code32
protected:
        flat_data_segments
        lidt    empty_idt
        sti
        hlt

        .p2align 3
gdt:    .quad   0
        .quad   0x00cf9a000000ffff      # 0x08: 32-bit code
        .quad   0x00cf92000000ffff      # 0x10: data
gdt_descriptor:
        .word   gdt_descriptor - gdt - 1
        .long   gdt
empty_idt:
        .word   0
        .long   0
