// The VMM's device side, per exit it will serve: a port read that polls the UART, a LAPIC EOI
// through the vCPU's page, a latched PIT count, the injection step for a PIC interrupt, and a
// periodic timer firing through the Timer_queue. No KVM: the bus alone, on a manual clock.
#include "vmm/pc_board.hpp"
#include "vmm/serial_lines.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace vmm;

struct Quiet_vcpus : Vcpu_control {
    void recall(Vcpu_id) override {}
    void init(Vcpu_id) override {}
    void startup(Vcpu_id, u8) override {}
};

struct Quiet_machine : Machine_control {
    void request_exit(u64) override {}
    void request_reset(Reset_source) override {}
};

Pc_config two_cpus()
{
    Pc_config config;
    config.cpus = 2;
    return config;
}

// A two-CPU PC with its PIC programmed as Linux does.
struct Bench_pc {
    Manual_clock clock;
    Quiet_vcpus vcpus;
    Quiet_machine machine;
    Serial_lines console{[](std::string_view) {}};
    Pc_board board{two_cpus(), clock, vcpus, machine, console};

    Bench_pc()
    {
        for (u8 v : {0x11, 0x30, 0x04, 0x01}) board.bus().io_out(v == 0x11 ? 0x20 : 0x21, 1, v);
        for (u8 v : {0x11, 0x38, 0x02, 0x01}) board.bus().io_out(v == 0x11 ? 0xa0 : 0xa1, 1, v);
        board.bus().mmio_write(0, Lapic::default_base + 0xf0, 4, 0x1ff);
    }
};

void BM_uart_status_poll(benchmark::State& state)
{
    Bench_pc pc;
    for (auto _ : state) benchmark::DoNotOptimize(pc.board.bus().io_in(0x3fd, 1));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_uart_status_poll);

void BM_lapic_self_ipi_and_eoi(benchmark::State& state)
{
    Bench_pc pc;
    Bus& bus = pc.board.bus();
    for (auto _ : state) {
        bus.mmio_write(0, Lapic::default_base + 0x300, 4, 0x44050); // fixed IPI to self
        benchmark::DoNotOptimize(pc.board.interrupts().acknowledge(0));
        bus.mmio_write(0, Lapic::default_base + 0xb0, 4, 0);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_lapic_self_ipi_and_eoi);

void BM_pit_latched_read(benchmark::State& state)
{
    Bench_pc pc;
    Bus& bus = pc.board.bus();
    bus.io_out(0x43, 1, 0x34), bus.io_out(0x40, 1, 0x9c), bus.io_out(0x40, 1, 0x2e);
    for (auto _ : state) {
        pc.clock.advance_by(100);
        bus.io_out(0x43, 1, 0x00);
        benchmark::DoNotOptimize(bus.io_in(0x40, 1) | bus.io_in(0x40, 1) << 8);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_pit_latched_read);

void BM_pic_interrupt_injection(benchmark::State& state)
{
    Bench_pc pc;
    Irq_lines& lines = pc.board.bus().irq_lines();
    for (auto _ : state) {
        lines.set(5, true), lines.set(5, false);
        benchmark::DoNotOptimize(pc.board.interrupts().acknowledge(0));
        pc.board.bus().io_out(0x20, 1, 0x20);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_pic_interrupt_injection);

void BM_periodic_lapic_timer(benchmark::State& state)
{
    Bench_pc pc;
    Bus& bus = pc.board.bus();
    bus.mmio_write(0, Lapic::default_base + 0x3e0, 4, 0xb);
    bus.mmio_write(0, Lapic::default_base + 0x320, 4, 0x2'0040);
    bus.mmio_write(0, Lapic::default_base + 0x380, 4, 1'000'000);
    for (auto _ : state) {
        run_until(pc.clock, pc.board.timers(), pc.board.timers().next_deadline());
        benchmark::DoNotOptimize(pc.board.interrupts().acknowledge(0));
        bus.mmio_write(0, Lapic::default_base + 0xb0, 4, 0);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_periodic_lapic_timer);

} // namespace

BENCHMARK_MAIN();
