// One run of a scenario's machine (internal), shared by a plain run, a recording and a replay:
// the simulated machine with the vCPU backend the caller chose, one VMM per VM with its image
// loaded and its COM1 on the console, then the run and its report.
#pragma once

#include "scenario_images.hpp"
#include "scenarios/runner.hpp"
#include "vmm/vm/vm.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <vector>

namespace scenarios {

struct Session_config {
    sim::Vcpu_backend_factory backend;
    // A real-time scenario's console input for the first VM: one byte per call, if one came.
    std::function<std::optional<std::uint8_t>()> input{};
    std::function<void(std::uint64_t tsc)> pace{}; // the host's clock, for real-time runs
    bool log_events{false};                        // a trace needs the event log's EC ids
    std::ostream* console{nullptr};
};

class Console;

class Session {
  public:
    using Clock = std::chrono::steady_clock;

    Session(Scenario const& s, Image_store const& images, Session_config config);
    ~Session();
    Session(Session const&) = delete;
    Session& operator=(Session const&) = delete;

    sim::Machine& machine() { return *machine_; }
    std::size_t vm_count() const { return vms_.size(); }
    vmm::Vm& vm(std::size_t i) { return *vms_[i].vm; }
    // Starts the VMs and runs the machine until it stops.
    Run_report run();

  private:
    struct Vm_slot {
        std::unique_ptr<Console> console;
        std::unique_ptr<vmm::Vm> vm;
    };
    void add_vms(Image_store const& images);

    Scenario const& scenario_;
    Session_config config_;
    Clock::time_point start_{Clock::now()};
    double first_serial_seconds_{-1};
    std::unique_ptr<sim::Machine> machine_;
    std::vector<Vm_slot> vms_;
};

// Exit codes besides the guest's own status, from the report (tools/README.md).
int exit_code_of(Run_report const& r);

} // namespace scenarios
