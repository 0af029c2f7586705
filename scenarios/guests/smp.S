# smp: the boot processor reads the CPU count from fw_cfg and wakes the application processors
# with INIT and then STARTUP (twice, as the MP specification does; an AP that runs ignores the
# second) through its LAPIC's ICR, to all but itself. The SIPI vector is the page of ap_start.
# Each AP starts there in real mode, enters protected mode, finds its APIC ID, counts itself
# (lock incl), marks its ID in a table, enables its LAPIC and sends the fixed IPI 0x40 + ID to
# the BSP (APIC ID 0), then halts with interrupts off for good. The BSP halts with interrupts on
# until an IPI from every AP has come; its handler reads the vector in service from ISR, so
# each IPI is known by its sender. A one-shot of the BSP's LAPIC timer (100 ms) ends the wait
# if an AP never checks in. The BSP prints each AP that checked in all three ways (counted,
# marked, IPI) and exits with their number; counts that disagree fail (0x7f).
        .include "guest32.inc"
        .include "lapic.inc"

        .set    MAX_CPUS, 32            # one ISR word holds every AP's IPI vector
        .set    IPI_VECTORS, 0x40       # AP n sends 0x40 + n; 32-aligned for the ISR word
        .set    WATCHDOG_VECTOR, 0x3f
        .set    WATCHDOG_COUNT, LAPIC_BUS_HZ / 10       # 100 ms, divide by 1
        .set    AP_STACKS, 0x70000      # AP n's stack top: AP_STACKS - n * 0x400
        .set    ICR_INIT, 0x000c4500    # all excluding self, assert, INIT
        .set    ICR_STARTUP, 0x000c4600 # all excluding self, assert, STARTUP; | the page
        .set    ICR_FIXED, 0x00004000   # destination field, assert, fixed; | the vector
        .set    FW_CFG_NB_CPUS, 0x05

        .code32
protected:
        flat_segments $GUEST_STACK
        call    idt_init
        call    lapic_enable
        call    bsp_gates
        call    cpu_count
        print   "smp: "
        call    put_dec
        print   " CPUs\n"
        cmp     $2, %eax
        expect  ae, "fw_cfg reports fewer than 2 CPUs"
        cmp     $MAX_CPUS, %eax
        expect  be, "fw_cfg reports more CPUs than this guest handles"
        dec     %eax
        mov     %eax, aps
        call    wake_aps
        call    wait_for_aps
        call    report
        call    debug_exit

bsp_gates:
        mov     $ipi, %eax
        mov     $IPI_VECTORS, %ecx
1:      call    set_gate
        inc     %ecx
        cmp     $(IPI_VECTORS + MAX_CPUS), %ecx
        jb      1b
        mov     $watchdog, %eax
        mov     $WATCHDOG_VECTOR, %ecx
        jmp     set_gate

# fw_cfg item 0x05: the number of CPUs, 16 bits little-endian, into EAX.
cpu_count:
        push    %edx
        mov     $0x510, %dx
        mov     $FW_CFG_NB_CPUS, %ax
        out     %ax, %dx
        inc     %dx
        xor     %eax, %eax
        in      %dx, %al
        mov     %al, %ah
        in      %dx, %al
        xchg    %al, %ah
        pop     %edx
        ret

wake_aps:
        movl    $0, LAPIC_ICR_HIGH
        movl    $ICR_INIT, LAPIC_ICR_LOW
        mov     $ap_start, %eax
        shr     $12, %eax
        or      $ICR_STARTUP, %eax
        mov     %eax, LAPIC_ICR_LOW
        mov     %eax, LAPIC_ICR_LOW
        ret

# Halts until every AP's IPI has come or the watchdog has fired.
wait_for_aps:
        movl    $DIVIDE_BY_1, LAPIC_TIMER_DIVIDE
        movl    $WATCHDOG_VECTOR, LAPIC_LVT_TIMER
        movl    $WATCHDOG_COUNT, LAPIC_TIMER_INITIAL
1:      mov     ipis, %eax
        cmp     aps, %eax
        jae     2f
        cmpl    $0, timed_out
        jne     3f
        sti
        hlt
        cli
        jmp     1b
2:      movl    $0, LAPIC_TIMER_INITIAL
        ret
3:      print   "smp: timed out waiting for the APs\n"
        ret

# Prints each AP that checked in; EAX: how many did. ECX counts APIC IDs, EDX the APs seen.
report: xor     %edx, %edx
        mov     $1, %ecx
1:      cmp     aps, %ecx
        ja      2f
        cmpb    $0, ap_marked(%ecx)
        je      3f
        cmpb    $0, ipi_from(%ecx)
        je      3f
        inc     %edx
        print   "smp: AP "
        mov     %ecx, %eax
        call    put_dec
        print   " checked in\n"
3:      inc     %ecx
        jmp     1b
2:      mov     ap_count, %eax
        cmp     ipis, %eax
        expect  e, "the APs' count and the IPIs that came disagree"
        cmp     %edx, %eax
        expect  e, "APs counted themselves but are not marked or did not send their IPI"
        print   "smp: "
        call    put_dec
        print   " of "
        mov     aps, %eax
        call    put_dec
        print   " APs checked in\n"
        mov     %edx, %eax
        ret

# IPI 0x40 + n from AP n: the vector in service is the highest bit of ISR's word for them.
ipi:    push    %eax
        push    %ecx
        mov     LAPIC_ISR + 0x10 * (IPI_VECTORS / 32), %eax
        bsr     %eax, %ecx
        expect  nz, "an IPI handler runs with no IPI vector in service"
        movb    $1, ipi_from(%ecx)
        incl    ipis
        lapic_eoi
        pop     %ecx
        pop     %eax
        interrupt_return

watchdog:
        movl    $1, timed_out
        lapic_eoi
        interrupt_return

        .p2align 2
aps:            .long 0                 # how many the BSP woke
ap_count:       .long 0                 # incremented by each AP
ipis:           .long 0                 # IPIs the BSP took
timed_out:      .long 0
ap_marked:      .fill MAX_CPUS, 1, 0    # by APIC ID, set by the AP
ipi_from:       .fill MAX_CPUS, 1, 0    # by APIC ID, set by the BSP's IPI handler

# The APs' SIPI page: real mode, CS = the page >> 4, IP = 0, DS = 0.
        .code16
        .p2align 12
ap_start:
        enter_protected_mode ap_protected

        .code32
ap_protected:
        flat_segments $AP_STACKS        # nothing is pushed before ESP is this AP's own
        lidt    idt_descriptor
        mov     LAPIC_ID, %ebx
        shr     $24, %ebx
        mov     %ebx, %eax
        shl     $10, %eax
        sub     %eax, %esp
        cmp     $MAX_CPUS, %ebx
        jae     1f                      # an APIC ID this guest has no room for: it stays out
        lock incl ap_count
        movb    $1, ap_marked(%ebx)
        call    lapic_enable
        movl    $0, LAPIC_ICR_HIGH      # to the BSP, APIC ID 0
        lea     (ICR_FIXED + IPI_VECTORS)(%ebx), %eax
        mov     %eax, LAPIC_ICR_LOW
1:      cli
        hlt
        jmp     1b
