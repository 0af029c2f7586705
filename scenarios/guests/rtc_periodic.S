# rtc_periodic: the CMOS RTC's periodic interrupt at 64 Hz (register A's rate select 10, PIE in
# register B) on IRQ 8, which reaches the CPU only through the slave 8259A and the cascade on
# the master's IR2 (pic.inc: only IRQ 2 and IRQ 8 unmasked). The handler is at vector 0x28,
# the slave's first, and checks that the interrupt came the slave's way: IRQ 8 is in service
# at the slave and the cascade at the master, and register C says the periodic flag raised the
# IRQ (reading C also lowers the line, so the next period is a new edge). It EOIs the slave,
# then the master. The main loop halts with interrupts on until TICKS interrupts have come;
# then PIE is cleared, both ISRs must be empty, and the guest prints the count and exits with
# it: status (TICKS << 1) | 1. The periods run on simulated time: TICKS * 15.625 ms.
        .include "guest32.inc"
        .include "pic.inc"

        .set    TICKS, 16
        .set    RTC_INDEX, 0x70         # bit 7 clear: NMIs stay enabled
        .set    RTC_DATA, 0x71
        .set    RTC_A, 0x0a
        .set    RTC_B, 0x0b
        .set    RTC_C, 0x0c
        .set    RATE_64HZ, 0x2a         # divider 010 (32.768 kHz, running), rate 10: 64 Hz
        .set    PIE, 0x40               # register B: periodic interrupt enable
        .set    IRQF_PF, 0xc0           # register C: IRQ flag and periodic flag
        .set    IRQ8_VECTOR, PIC_VECTORS + 8

# Selects RTC register `index` (AL is clobbered).
        .macro  rtc_select index
        mov     $\index, %al
        out     %al, $RTC_INDEX
        .endm

        .code32
protected:
        flat_segments $GUEST_STACK
        call    idt_init
        mov     $periodic, %eax
        mov     $IRQ8_VECTOR, %ecx
        call    set_gate
        print   "rtc_periodic: PIC at vector 0x20, RTC periodic interrupt at 64 Hz\n"
        call    pic_init
        mov     $(0xff & ~PIC_CASCADE), %al
        out     %al, $(PIC_MASTER + 1)  # OCW1: only the cascade at the master
        mov     $0xfe, %al
        out     %al, $(PIC_SLAVE + 1)   # and only IRQ 8 at the slave
        call    rtc_start
        halt_until ticks, $TICKS
        call    rtc_stop
        call    pic_isrs
        test    %ax, %ax
        expect  z, "an IRQ is still in service at a PIC"
        print   "rtc_periodic: "
        mov     ticks, %eax
        call    put_dec
        print   " interrupts of IRQ 8 through the slave PIC\n"
        call    debug_exit

# Rate first, then PIE; register C is read before, so a flag from before does not count.
rtc_start:
        rtc_select RTC_C
        in      $RTC_DATA, %al
        rtc_select RTC_A
        mov     $RATE_64HZ, %al
        out     %al, $RTC_DATA
        mov     $PIE, %ah
        jmp     rtc_update_b

rtc_stop:
        xor     %ah, %ah
# Register B with PIE as in AH, the other bits kept. The index stays selected after the read.
rtc_update_b:
        rtc_select RTC_B
        in      $RTC_DATA, %al
        and     $(0xff & ~PIE), %al
        or      %ah, %al
        out     %al, $RTC_DATA
        ret

periodic:
        push    %eax
        call    pic_isrs
        cmp     $(1 << 8 | PIC_CASCADE), %ax
        expect  e, "IRQ 8 is not in service at the slave with the cascade at the master"
        rtc_select RTC_C
        in      $RTC_DATA, %al
        and     $IRQF_PF, %al
        cmp     $IRQF_PF, %al
        expect  e, "register C does not say the periodic flag raised the IRQ"
        incl    ticks
        mov     $OCW2_EOI, %al
        out     %al, $PIC_SLAVE
        out     %al, $PIC_MASTER
        pop     %eax
        interrupt_return

        .p2align 2
ticks:  .long   0
