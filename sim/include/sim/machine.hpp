// A booted simulated machine: physical memory, the engine with its CPUs, the host platform, one
// kernel on top and the in-process user land. Everything a component does reaches the kernel
// through the syscall gate here, which also writes the event log.
#pragma once

#include "nova/kernel.hpp"
#include "sim/engine.hpp"
#include "sim/event_log.hpp"
#include "sim/host_platform.hpp"
#include "sim/physical_memory.hpp"
#include "sim/userland.hpp"
#include "sim/vcpu_backend.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace sim {

class Machine;
// Makes the backend that runs the machine's vCPUs (kvm_shim, a replay); called once, before boot.
using Vcpu_backend_factory = std::function<std::unique_ptr<Vcpu_backend>(Machine&)>;

struct Machine_config {
    std::uint32_t cpus{4};
    std::uint64_t ram_bytes{64ull << 20};    // all physical memory, the kernel's region included
    std::uint64_t kernel_bytes{16ull << 20}; // the kernel's region at the top of it
    std::uint32_t tsc_khz{2'000'000};
    unsigned sel_bits{26};
    std::uint32_t gsis{nova::Boot_config{}.gsis}; // interrupt pins: the HIP's sel_gsi
    bool vmx{false};                     // vCPUs can be created (implied by a vCPU backend)
    Vcpu_backend_factory vcpu_backend{}; // none: vCPUs are objects only
    // The cost model (sim/README.md), in TSC cycles.
    std::uint64_t cost_hypercall{nova::Boot_config{}.cost_hypercall};
    std::uint64_t cost_ipc_word{nova::Boot_config{}.cost_ipc_word};
    std::uint64_t cost_switch{nova::Boot_config{}.cost_switch};
    std::uint64_t ipi_latency{500};
    std::uint64_t ipi_jitter{0};
    std::uint64_t seed{1};
    std::size_t stack_bytes{256u << 10}; // per flow
    bool keep_events{false};             // keep the event records, not only their hash
    bool log_events{true}; // off: no event log and no hash (faster; no determinism check)
    // Real-time runs: let the host's clock catch up before an idle jump (Engine_config::pace).
    std::function<void(std::uint64_t tsc)> pace{};
    // Run the kernel's invariant checker after every kernel entry through the gate (hypercalls,
    // exceptions, preemption points); a broken invariant throws Invariant_broken.
    bool check_every_entry{false};
};

// The invariant checker found a broken invariant after a kernel entry.
struct Invariant_broken : Simulation_error {
    using Simulation_error::Simulation_error;
};

class Machine {
  public:
    explicit Machine(Machine_config const& config = {});
    ~Machine();
    Machine(Machine const&) = delete;
    Machine& operator=(Machine const&) = delete;

    nova::Status boot_status() const { return boot_status_; }
    nova::Kernel& kernel() { return *kernel_; }
    Host_platform& platform() { return platform_; }
    Physical_memory& memory() { return memory_; }
    Engine& engine() { return engine_; }
    Userland& userland() { return userland_; }
    Vcpu_backend* vcpu_backend() { return vcpus_.get(); }
    Event_log& log() { return log_; }
    Machine_config const& config() const { return config_; }

    // The syscall gate: one hypercall frame of `ec`, logged.
    void syscall(nova::Ec& ec, nova::Sys_regs& regs);
    // Component code of `ec` computed: a preemption point (nova::Kernel::preemption_point).
    void preemption_point(nova::Ec& ec);
    // A host exception of `ec`, logged; false when the kernel killed `ec`.
    bool exception(nova::Ec& ec, std::uint8_t vector, std::uint64_t error_code, std::uint64_t addr);

    // Executes one hypercall frame as the root EC, as the root task's `syscall` would. On the
    // host thread the root EC's flow is the host thread: a blocking hypercall runs the rest of
    // the machine until the kernel gives the root its CPU back.
    nova::Status hypercall_as_root(nova::Sys_regs& regs);

    // Runs the machine. Without a root component the host thread stays the root's flow, and
    // the run also stops when the root gets its CPU (Stop::root).
    Run_result run(Limits const& limits = {});
    // Runs `root_main` as the root component on the root EC's own fiber.
    Run_result run(Userland::Entry root_main, Limits const& limits = {});

  private:
    nova::Boot_config boot_config() const;
    void name_created_ec(nova::Ec& creator, nova::Sys_regs const& regs, nova::mword sel);
    void check_after_entry(char const* what);

    Machine_config config_;
    Physical_memory memory_;
    Event_log log_;
    Engine engine_;
    Host_platform platform_;
    std::vector<nova::Hip_mem> memory_map_;
    std::unique_ptr<Vcpu_backend> vcpus_; // outlives the kernel, which calls it
    std::unique_ptr<nova::Kernel> kernel_;
    Userland userland_;
    nova::Status boot_status_;
};

} // namespace sim
