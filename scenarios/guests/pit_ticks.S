# pit_ticks: the 8254's channel 0 in mode 2 at 100 Hz interrupts through the 8259A pair
# (initialised with ICW1-4: vectors 0x20-0x2f, only IRQ 0 unmasked) into an IDT handler that
# counts the tick and sends a non-specific EOI. The main loop halts with interrupts on
# (sti; hlt) until TICKS ticks have come; then the PIT's IRQ is masked again, the master's ISR
# must be empty (every tick was EOIed), and the guest prints the count and exits with it:
# status (TICKS << 1) | 1. Any other interrupt faults and is reported (guest32.inc). At 100 Hz
# the run takes TICKS * 10 ms of simulated time, which the scenario test checks.
        .include "guest32.inc"

        .set    TICKS, 20
        .set    TICK_HZ, 100
        .set    PIT_HZ, 1193182
        .set    PIT_COUNT, (PIT_HZ + TICK_HZ / 2) / TICK_HZ
        .set    PIC_VECTORS, 0x20       # IRQ 0-7 at 0x20-0x27, IRQ 8-15 at 0x28-0x2f

        .code32
protected:
        flat_segments $GUEST_STACK
        call    idt_init
        mov     $tick, %eax
        mov     $PIC_VECTORS, %ecx
        call    set_gate
        print   "pit_ticks: PIC at vector 0x20, PIT channel 0 at 100 Hz\n"
        call    pic_init
        call    pit_start
1:      cmpl    $TICKS, ticks
        jae     2f
        sti
        hlt                             # in the STI shadow: no interrupt before the HLT
        cli
        jmp     1b
2:      mov     $0xff, %al
        out     %al, $0x21              # OCW1: IRQ 0 masked again
        mov     $0x0b, %al
        out     %al, $0x20              # OCW3: the next read of 0x20 gives ISR
        in      $0x20, %al
        test    %al, %al
        expect  z, "an IRQ is still in service at the master PIC"
        print   "pit_ticks: "
        mov     ticks, %eax
        call    put_dec
        print   " ticks of IRQ 0\n"
        call    debug_exit

# ICW1 (edge, cascade, ICW4 follows), ICW2 (vector base), ICW3 (the slave on IR2), ICW4
# (8086 mode) to each 8259A; then OCW1: only IRQ 0 unmasked.
pic_init:
        mov     $0x11, %al
        out     %al, $0x20
        out     %al, $0xa0
        mov     $PIC_VECTORS, %al
        out     %al, $0x21
        mov     $(PIC_VECTORS + 8), %al
        out     %al, $0xa1
        mov     $0x04, %al
        out     %al, $0x21
        mov     $0x02, %al
        out     %al, $0xa1
        mov     $0x01, %al
        out     %al, $0x21
        out     %al, $0xa1
        mov     $0xfe, %al
        out     %al, $0x21
        mov     $0xff, %al
        out     %al, $0xa1
        ret

# Channel 0, LSB then MSB, mode 2 (rate generator), binary.
pit_start:
        mov     $0x34, %al
        out     %al, $0x43
        mov     $(PIT_COUNT & 0xff), %al
        out     %al, $0x40
        mov     $(PIT_COUNT >> 8), %al
        out     %al, $0x40
        ret

tick:   push    %eax
        incl    ticks
        mov     $0x20, %al
        out     %al, $0x20              # OCW2: non-specific EOI
        pop     %eax
        interrupt_return

        .p2align 2
ticks:  .long   0
