# lapic_timer: the BSP's local APIC timer, periodic and then one-shot. The guest software-enables
# its APIC (SVR), runs the timer periodic at vector 0x30 (divide by 16, 10 ms a period at the
# 1 GHz bus clock) and halts until PERIODS interrupts have come, EOIing each; it masks and stops
# the timer and checks that no further interrupt came. Then, with interrupts off, a one-shot at
# vector 0x31 (divide by 1, 50 us): the current count must run down to 0 and stay there (a
# one-shot does not reload), the vector must wait in IRR, and only after `sti` is it taken
# (the VMM injects it through the interrupt window). Exit status: the number of timer
# interrupts taken, PERIODS + 1.
        .include "guest32.inc"
        .include "lapic.inc"

        .set    PERIODIC_VECTOR, 0x30
        .set    ONESHOT_VECTOR, 0x31
        .set    PERIODS, 10
        .set    PERIOD_COUNT, LAPIC_BUS_HZ / 16 / 100           # 10 ms
        .set    ONESHOT_COUNT, LAPIC_BUS_HZ / 1000000 * 50      # 50 us
        .set    COUNT_POLLS, 100000     # each read is an exit; 50 us take far fewer

        .code32
protected:
        flat_segments $GUEST_STACK
        call    idt_init
        call    lapic_enable
        mov     $periodic_tick, %eax
        mov     $PERIODIC_VECTOR, %ecx
        call    set_gate
        mov     $oneshot_tick, %eax
        mov     $ONESHOT_VECTOR, %ecx
        call    set_gate
        call    periodic
        call    oneshot
        mov     periodic_ticks, %eax
        add     oneshot_ticks, %eax
        call    debug_exit

periodic:
        movl    $DIVIDE_BY_16, LAPIC_TIMER_DIVIDE
        movl    $(LVT_PERIODIC | PERIODIC_VECTOR), LAPIC_LVT_TIMER
        movl    $PERIOD_COUNT, LAPIC_TIMER_INITIAL
        halt_until periodic_ticks, $PERIODS
        movl    $(LVT_MASKED | PERIODIC_VECTOR), LAPIC_LVT_TIMER
        movl    $0, LAPIC_TIMER_INITIAL
        sti
        out     %al, $0x80              # an exit: an interrupt still pending is injected here
        cli
        cmpl    $PERIODS, periodic_ticks
        expect  e, "more periodic interrupts than periods waited for"
        print   "lapic_timer: "
        mov     periodic_ticks, %eax
        call    put_dec
        print   " periodic interrupts at vector 0x30\n"
        ret

oneshot:
        movl    $DIVIDE_BY_1, LAPIC_TIMER_DIVIDE
        movl    $ONESHOT_VECTOR, LAPIC_LVT_TIMER
        movl    $ONESHOT_COUNT, LAPIC_TIMER_INITIAL
        mov     $COUNT_POLLS, %ecx
1:      mov     LAPIC_TIMER_CURRENT, %eax
        test    %eax, %eax
        jz      2f
        loop    1b
        expect  z, "the one-shot count does not run down to 0"
2:      mov     LAPIC_IRR + 0x10 * (ONESHOT_VECTOR / 32), %eax
        test    $(1 << (ONESHOT_VECTOR % 32)), %eax
        expect  nz, "the expired one-shot is not pending in IRR"
        cmpl    $0, oneshot_ticks
        expect  e, "the one-shot interrupt came with interrupts off"
        sti
        hlt                             # the pending one-shot is taken here
        cli
        cmpl    $1, oneshot_ticks
        expect  e, "the one-shot interrupt was not taken once after sti"
        mov     LAPIC_TIMER_CURRENT, %eax
        test    %eax, %eax
        expect  z, "the one-shot count reloaded"
        print   "lapic_timer: one-shot at vector 0x31 taken when interrupts were enabled\n"
        ret

periodic_tick:
        incl    periodic_ticks
        lapic_eoi
        interrupt_return

oneshot_tick:
        incl    oneshot_ticks
        lapic_eoi
        interrupt_return

        .p2align 2
periodic_ticks: .long 0
oneshot_ticks:  .long 0
