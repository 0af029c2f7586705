# pit_ticks: the 8254's channel 0 in mode 2 at 100 Hz interrupts through the 8259A pair
# (pic.inc: vectors 0x20-0x2f, only IRQ 0 unmasked) into an IDT handler that counts the tick
# and sends a non-specific EOI. The main loop halts with interrupts on (sti; hlt) until TICKS
# ticks have come; then the PIT's IRQ is masked again, both ISRs must be empty (every tick was
# EOIed), and the guest prints the count and exits with it:
# status (TICKS << 1) | 1. Any other interrupt faults and is reported (guest32.inc). At 100 Hz
# the run takes TICKS * 10 ms of simulated time, which the scenario test checks.
        .include "guest32.inc"
        .include "pic.inc"

        .set    TICKS, 20
        .set    TICK_HZ, 100
        .set    PIT_HZ, 1193182
        .set    PIT_COUNT, (PIT_HZ + TICK_HZ / 2) / TICK_HZ

        .code32
protected:
        flat_segments $GUEST_STACK
        call    idt_init
        mov     $tick, %eax
        mov     $PIC_VECTORS, %ecx
        call    set_gate
        print   "pit_ticks: PIC at vector 0x20, PIT channel 0 at 100 Hz\n"
        call    pic_init
        mov     $0xfe, %al
        out     %al, $(PIC_MASTER + 1)  # OCW1: only IRQ 0
        call    pit_start
        halt_until ticks, $TICKS
        mov     $0xff, %al
        out     %al, $(PIC_MASTER + 1)  # OCW1: IRQ 0 masked again
        call    pic_isrs
        test    %ax, %ax
        expect  z, "an IRQ is still in service at a PIC"
        print   "pit_ticks: "
        mov     ticks, %eax
        call    put_dec
        print   " ticks of IRQ 0\n"
        call    debug_exit

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
        mov     $OCW2_EOI, %al
        out     %al, $PIC_MASTER
        pop     %eax
        interrupt_return

        .p2align 2
ticks:  .long   0
