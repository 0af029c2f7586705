// The VMM as a component of the simulated kernel: it creates the VM's PD and vCPUs, binds one
// exit portal per vCPU and event to a handler EC on that vCPU's CPU (with the MTD the handler
// needs), delegates guest RAM with the G flag on the first STARTUP, answers exits through the
// Exit_handler and the board's devices, runs the devices' timers on simulated time (a timer EC
// waiting in a semaphore until the next deadline), and recalls a vCPU when an interrupt becomes
// deliverable to it. Every kernel operation is a hypercall of one of its ECs.
#pragma once

#include "sim/env.hpp"
#include "sim/machine.hpp"
#include "vmm/pc_board.hpp"
#include "vmm/vm/exit_handler.hpp"
#include "vmm/vm/frame_ram.hpp"

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vmm {

struct Vm_config {
    Pc_config board{};                      // vCPU count, RAM size, command line, LAPICs
    std::vector<std::uint32_t> vcpu_cpus{}; // the simulated CPU of each vCPU (default: 0)
    std::uint8_t prio{1};                   // the vCPUs' SCs
    mword quantum_us{10'000};
    u64 first_frame{0x100}; // guest RAM's frames in the machine
};

class Vm final : public Vcpu_control, public Machine_control, public Clock {
  public:
    Vm(sim::Machine& machine, Vm_config const& config, Serial_peer& console);
    Vm(Vm const&) = delete;
    Vm& operator=(Vm const&) = delete;

    // Guest RAM, for the loaders; and where the boot processor starts (before start()).
    Guest_memory& ram() { return ram_; }
    void set_boot(Boot_state const& boot) { boot_ = boot; }
    // Host input for COM1 (a real-time run's terminal): start() adds an EC that takes what has
    // come every `period` of simulated time and feeds it to the UART.
    void set_console_input(std::function<std::optional<u8>()> take, std::uint64_t period_cycles);
    // Creates the kernel objects and starts the vCPUs; `root` is the root component's Env.
    void start(sim::Env& root);

    std::optional<u64> exit_status() const { return exit_status_; }
    std::optional<std::string> const& failure() const { return failure_; }
    Pc_board& board() { return *board_; }
    Exit_histogram const& histogram() const { return handler_->histogram(); }
    unsigned vcpus() const { return config_.board.cpus; }

    // Vcpu_control, Machine_control, Clock (for the devices).
    void recall(Vcpu_id vcpu) override;
    void init(Vcpu_id vcpu) override;
    void startup(Vcpu_id vcpu, u8 vector) override;
    void request_exit(u64 status) override;
    void request_reset(Reset_source source) override;
    Nanoseconds now() const override;

  private:
    std::uint32_t cpu_of(Vcpu_id v) const;
    mword vcpu_sel(Vcpu_id v) const;
    void create_handlers(sim::Env& root);
    void create_portals(sim::Env& root);
    void create_vcpus(sim::Env& root);
    void create_timer(sim::Env& root);
    void create_console(sim::Env& root);
    void run_console(sim::Env& console);
    void on_exit(sim::Env& handler, Vcpu_id v, mword event);
    void map_ram(sim::Env& handler);
    void stop(std::string const& why);
    void flush_recalls(sim::Env& env, std::optional<Vcpu_id> exiting);
    void run_timer(sim::Env& timer);
    std::uint64_t tsc_of(Nanoseconds ns) const;

    sim::Machine& machine_; // not owned
    Vm_config config_;
    Frame_ram ram_;
    Boot_state boot_{};
    std::unique_ptr<Pc_board> board_;
    std::unique_ptr<Exit_handler> handler_;
    // What device code asked for, done once it has returned (control.hpp).
    std::set<Vcpu_id> recalls_;
    sim::Env* current_{nullptr}; // the EC whose code runs device code now
    Nanoseconds armed_{never};   // the deadline the timer EC waits for
    mutable Nanoseconds last_now_{0};
    std::optional<u64> exit_status_;
    std::optional<std::string> failure_;
    std::function<std::optional<u8>()> take_input_;
    std::uint64_t input_period_{0};
    std::deque<u8> input_; // taken from the host, not yet room for in the UART's FIFO
};

} // namespace vmm
