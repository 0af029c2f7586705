// vCPUs on /dev/kvm for the simulated kernel (sim::Vcpu_backend): one KVM VM per PD that has
// vCPUs, one KVM vCPU per vCPU EC, guest memory slots that follow the PD's guest view, and the
// time a guest stretch costs on the simulated CPU. A guest that does not exit gives the CPU back
// at the host tick; one that does not exit for `watchdog_ms` ends the run with its state.
#pragma once

#include "kvm/fd.hpp"
#include "kvm/guest_memory.hpp"
#include "kvm/tick.hpp"
#include "kvm/vcpu.hpp"
#include "kvm/vm.hpp"
#include "sim/machine.hpp"
#include "sim/vcpu_backend.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace kvm {

struct Backend_config {
    // deterministic: an exit costs `exit_cycles` of simulated time; a guest that stays in KVM
    // without an exit for `quiet_ms` of host time gives the CPU back at the cost of one tick (at
    // most up to the CPU's next event), whatever the host took (shorter cuts by the host's tick
    // are invisible: the guest goes straight back in); measured: what the host took, converted at
    // the machine's TSC rate, and at least enough that the CPU's clock keeps up with the host's
    // (real-time runs).
    enum class Time : std::uint8_t { deterministic, measured };
    Time time{Time::deterministic};
    std::uint64_t exit_cycles{2'000};
    std::uint32_t tick_us{2'000};
    std::uint32_t quiet_ms{20};
    std::uint32_t watchdog_ms{10'000};
    // The run ends when the host's clock passes this (a scenario's wall-clock limit).
    std::optional<std::chrono::steady_clock::time_point> wall_deadline{};
    Vm_config vm{};
};

// For sim::Machine_config::vcpu_backend: KVM when the probe finds it usable, else no backend
// (vCPUs then answer BAD_FTR, as [C14] does without VMX).
sim::Vcpu_backend_factory kvm_backend(Backend_config const& config = {});

class Backend final : public sim::Vcpu_backend {
  public:
    Backend(sim::Machine& machine, Backend_config const& config);
    ~Backend() override;

    bool create(nova::Ec& vcpu) override;
    void destroy(nova::Ec& vcpu) override;
    nova::Vm_exit run(nova::Ec& vcpu) override;
    void load(nova::Ec& vcpu, nova::mword mtd, nova::Utcb_arch& to) override;
    void store(nova::Ec& vcpu, nova::mword mtd, nova::Utcb_arch const& from) override;
    void guest_view_changed(nova::Pd& pd, nova::mword first, nova::mword count) override;

    // For tests, benchmarks and reports.
    Vcpu* vcpu_of(nova::Ec const& ec);
    Vm* vm_of(nova::Pd const& pd);
    Calibration const& calibration() const { return calibration_; }
    std::size_t vms() const { return vms_.size(); }
    std::string const& last_error() const { return last_error_; }

  private:
    struct Vm_entry {
        std::unique_ptr<Vm> vm;
        unsigned vcpus{0};
        unsigned next_id{0};
    };
    struct Vcpu_entry {
        std::unique_ptr<Vcpu> vcpu;
        nova::Pd* pd;
        std::uint64_t stalled_ns{0}; // host time in KVM since the guest last exited
        std::uint64_t quiet_ns{0};   // the same, since the guest last exited or gave its CPU back
    };

    Guest_memory& memory_of(nova::Pd const& pd);
    Vcpu_entry* entry_of(nova::Ec const& ec);
    Vm_entry& vm_entry(nova::Pd& pd);
    void prepare_memory(Vcpu_entry& entry);
    nova::Vm_exit run_guest(nova::Ec& ec, Vcpu_entry& entry);
    bool invisible(Vcpu_entry& entry, nova::Vm_exit const& exit, std::uint64_t took_ns);
    void charge(nova::Ec& ec, nova::Vm_exit const& exit, std::uint64_t host_ns);
    void watch(Vcpu_entry& entry, nova::Vm_exit const& exit, std::uint64_t host_ns);
    void failed(nova::Ec& ec, std::string const& what);

    sim::Machine& machine_;
    Backend_config config_;
    Fd kvm_;
    Calibration calibration_;
    std::shared_ptr<Tick> tick_;
    std::uint64_t host_start_ns_{0}; // where a measured run's clock starts
    // All of it is touched only by the simulator's host thread.
    std::map<nova::Pd const*, std::unique_ptr<Guest_memory>> memories_;
    std::map<nova::Pd const*, Vm_entry> vms_;
    std::unordered_map<nova::Ec const*, Vcpu_entry> vcpus_;
    std::string last_error_;
    nova::Ec const* last_ec_{nullptr}; // a one-entry cache in front of vcpus_
    Vcpu_entry* last_entry_{nullptr};
};

} // namespace kvm
