// The discrete-event engine under the kernel (design.md §3): N simulated CPUs with their own
// clocks, one-shot timers and IPIs, run on one host thread in global time order. The kernel
// decides what runs (Kernel::dispatch); the engine decides which CPU goes next — the one with the
// smallest (time, index) that has work — and switches host contexts (flows).
//
// Lockstep: a flow runs until it suspends, finishes, or reaches a lockstep point (every kernel
// entry, and Env::charge in component code) while another CPU with work is behind it in
// (time, index) order; there it pauses and continues later without a dispatch, invisibly to the
// kernel. So kernel work happens in global time order, to the granularity of one stretch of code
// between two lockstep points. Everything is deterministic: one seed, one schedule.
#pragma once

#include "sim/event_log.hpp"
#include "sim/flow.hpp"
#include "sim/processor.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace nova {
class Ec;
class Kernel;
} // namespace nova

namespace sim {

struct Engine_config {
    std::uint32_t cpus{4};
    std::uint64_t ipi_latency{500}; // cycles from send_ipi to arrival at the target CPU
    std::uint64_t ipi_jitter{0};    // up to this many more cycles, drawn from the seeded generator
    std::uint64_t seed{1};          // the only source of randomness in the engine
    std::size_t stack_bytes{256u << 10};
    // Real time (design.md §3): called before the whole machine, idle, jumps ahead to `tsc`,
    // to let the host's clock catch up (and serve host input meanwhile). Empty: no pacing.
    std::function<void(std::uint64_t tsc)> pace{};
};

// Where a run stops. Absent fields do not limit.
struct Limits {
    std::uint64_t until_tsc{never};  // no CPU starts work at or after this time
    std::uint64_t dispatches{never}; // at most this many Kernel::dispatch calls in this run
};

enum class Stop : std::uint8_t {
    idle,           // no CPU has anything to run and no event is pending
    root,           // the root EC, whose flow is the host thread, got its CPU back
    cycle_limit,    // Limits::until_tsc
    dispatch_limit, // Limits::dispatches
    requested,      // request_stop: a component ended the run (a guest's exit request)
    watchdog,       // request_stop: a vCPU ran too long without an exit
};

char const* stop_name(Stop s);

struct Run_result {
    Stop stop;
    std::uint64_t dispatches; // in this run
    std::string detail{};     // why a requested or watchdog stop happened
};

// The engine's own failures (the kernel is exception-free; the simulator is not).
struct Simulation_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Engine {
  public:
    // What runs on flows: the user land. Engine-side protocol (STARTUP, end of flow) stays here.
    class Code {
      public:
        // A global EC's own code, after STARTUP (the root EC's: the root component).
        virtual void run_flow(nova::Ec& ec) = 0;
        // A portal handler of local EC `handler`, on the current flow, up to its reply.
        virtual void run_handler(nova::Ec& handler) = 0;

      protected:
        ~Code() = default;
    };

    Engine(Engine_config const& config, Event_log& log);
    ~Engine();
    Engine(Engine const&) = delete;
    Engine& operator=(Engine const&) = delete;

    void bind(nova::Kernel& kernel, Code& code);

    // --- The kernel's platform services (nova::Platform) ---------------------------------
    std::uint64_t tsc(std::uint32_t cpu) const { return processors_.at(cpu).clock(); }
    void charge(std::uint32_t cpu, std::uint64_t cycles)
    {
        processors_.at(cpu).advance(cycles);
        if (cpu != active_cpu_) ++changes_; // another CPU's clock is part of others()
    }
    void set_timer(std::uint32_t cpu, std::uint64_t deadline);
    void send_ipi(std::uint32_t cpu);
    void poll_interrupts(std::uint32_t cpu);
    void suspend(std::uint32_t cpu, nova::Ec& flow);
    // The kernel killed `flow`'s EC: a flow suspended in the kernel is resumed so that its code
    // unwinds (a running or paused one sees it on its own).
    void flow_killed(nova::Ec& flow);
    void run_handler(nova::Ec& handler) { code_->run_handler(handler); }

    // --- For component code -------------------------------------------------------------
    // A lockstep point outside the kernel: pauses while other CPUs with work are behind.
    void catch_up(std::uint32_t cpu);
    // How far `cpu`'s clock may run ahead (a guest stretch) before something else is due: its
    // own timer or next IPI, the earliest other CPU with work, or the end of the run.
    std::uint64_t horizon(std::uint32_t cpu) const;
    // Ends the run in progress: the running flow pauses at its next lockstep point and run()
    // returns `reason` with `detail`.
    void request_stop(Stop reason, std::string detail);
    bool stopping() const { return stop_requested_; }

    // --- Running --------------------------------------------------------------------------
    // From the next dispatch of the root EC on, its flow is a fiber running Code::run_flow
    // instead of the host thread.
    void root_on_fiber();
    // Runs the machine from the host thread until a stop condition holds.
    Run_result run(Limits const& limits = {});
    // Unwinds and frees every flow (the machine is going away).
    void discard_flows();

    std::uint32_t cpus() const { return static_cast<std::uint32_t>(processors_.size()); }
    Processor const& processor(std::uint32_t cpu) const { return processors_.at(cpu); }
    // The CPU whose work the host thread executes now.
    std::uint32_t active_cpu() const { return active_cpu_; }
    Event_log& log() { return log_; }

  private:
    enum class Step : std::uint8_t { done, host };

    Stop loop(Limits const& limits);
    Processor* next_processor();
    bool dispatch_allowed(Processor const& p, Limits const& limits) const;
    Step step(std::uint32_t cpu);
    Step dispatch_on(std::uint32_t cpu);
    Step enter(Flow& flow);
    void leave(Flow& flow);
    std::uint64_t draw(); // the next number of the seeded generator
    void host_wait();
    struct Others {
        std::uint32_t cpu;
        std::uint64_t changes;
        std::uint64_t lower, higher; // earliest wake-up of the CPUs below and above `cpu`
    };
    Others const& others(std::uint32_t cpu) const;
    bool must_pause(std::uint32_t cpu) const;
    void pause_if_behind(std::uint32_t cpu);
    void deliver_due(std::uint32_t cpu);
    void end_killed_flows();
    Flow& flow_for(nova::Ec& ec);
    Flow* running_flow();
    void flow_body(Flow& flow);
    void note(Event::Kind kind, std::uint32_t cpu, std::uint64_t a = 0, std::uint64_t b = 0);

    Engine_config const config_;
    Event_log& log_;
    nova::Kernel* kernel_{nullptr};
    Code* code_{nullptr};

    // All engine state below is touched only by the simulator's single host thread; flows run
    // on it one at a time, so no lock is needed.
    std::vector<Processor> processors_;
    std::map<nova::Ec const*, std::unique_ptr<Flow>> flows_; // the flow of every global EC
    std::vector<Flow*> killed_;   // suspended flows of killed ECs, to resume before anything else
    Flow* current_{nullptr};      // the fiber running now; nullptr: the host thread runs
    Flow* host_flow_{nullptr};    // the root's flow while it is the host thread (flows_ owns it)
    std::uint32_t active_cpu_{0}; // the CPU of what runs now
    bool in_engine_{false};       // the engine itself (not a flow) has called into the kernel
    bool root_on_fiber_{false};
    Limits limits_{};            // of the run in progress, for lockstep points
    bool stop_requested_{false}; // request_stop, until the run returns
    // Counts everything that can move a CPU's wake-up, so that others() can keep its answer.
    std::uint64_t changes_{0};
    mutable Others others_{~0u, ~std::uint64_t{0}, never, never};
    Stop requested_stop_{Stop::requested};
    std::string stop_detail_;
    std::uint64_t dispatches_{0}; // in the run in progress
    // Seeded at the first draw: seeding costs more than booting a small machine, and only a
    // machine with IPI jitter draws at all. The draws are those of a generator seeded at once.
    std::optional<std::mt19937_64> random_;
};

} // namespace sim
