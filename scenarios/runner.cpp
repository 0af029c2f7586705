#include "scenarios/runner.hpp"

#include "kvm/backend.hpp"
#include "kvm/probe.hpp"
#include "realtime_console.hpp"
#include "scenario_images.hpp"
#include "vmm/vm/vm.hpp"

#include <chrono>
#include <fmt/format.h>

namespace scenarios {

namespace {

using Clock = std::chrono::steady_clock;

// A guest's COM1: kept for the report, and passed on to the console as it comes.
class Console final : public vmm::Serial_peer {
  public:
    Console(std::string prefix, std::ostream* out, Clock::time_point start, double& first)
        : prefix_{std::move(prefix)}, out_{out}, start_{start}, first_{first}
    {
    }
    void transmit(vmm::u8 byte) override
    {
        if (first_ < 0) first_ = std::chrono::duration<double>(Clock::now() - start_).count();
        text += static_cast<char>(byte);
        if (out_ == nullptr) return;
        if (at_line_start_ && !prefix_.empty()) *out_ << prefix_;
        out_->put(static_cast<char>(byte));
        at_line_start_ = byte == '\n';
        if (at_line_start_) out_->flush();
    }
    std::string text;

  private:
    std::string prefix_;
    std::ostream* out_;
    Clock::time_point start_;
    double& first_;
    bool at_line_start_{true};
};

struct Vm_slot {
    std::unique_ptr<Console> console;
    std::unique_ptr<vmm::Vm> vm;
};

constexpr std::uint64_t kernel_bytes = 32ull << 20;
constexpr std::uint64_t first_guest_frame = 0x100; // guest RAM from 1 MiB of the machine up

sim::Machine_config machine_config(Scenario const& s, kvm::Backend_config const& backend)
{
    std::uint64_t guests = 0;
    for (Vm_description const& vm : s.vms) guests += (vm.ram + 0xfff) & ~0xfffull;
    sim::Machine_config c{};
    c.cpus = s.machine.cpus;
    c.tsc_khz = s.machine.tsc_khz;
    c.kernel_bytes = kernel_bytes;
    c.ram_bytes = s.machine.memory != 0 ? s.machine.memory
                                        : (first_guest_frame << 12) + guests + kernel_bytes;
    c.log_events = false;
    c.vcpu_backend = kvm::kvm_backend(backend);
    return c;
}

vmm::Vm_config vm_config(Vm_description const& d, std::uint64_t first_frame)
{
    vmm::Vm_config c{};
    c.board.cpus = d.vcpus;
    c.board.ram_below_4g = d.ram;
    c.board.cmdline = d.cmdline;
    c.board.lapics = d.lapic;
    c.vcpu_cpus = d.cpus;
    c.prio = d.priority;
    c.quantum_us = d.quantum_us;
    c.first_frame = first_frame;
    return c;
}

int exit_code_of(Run_report const& r)
{
    for (Vm_outcome const& vm : r.vms) {
        if (vm.failure) return exit_failed;
        if (vm.exit_status) return static_cast<int>(*vm.exit_status & 0xff);
    }
    return r.stop.find("wall-clock") != std::string::npos ? exit_timeout : exit_no_status;
}

} // namespace

Run_report run_scenario(Scenario const& s, Run_options const& options)
{
    Run_report report;
    Clock::time_point start = Clock::now();
    kvm::Backend_config backend{};
    if (s.machine.time == Time_mode::real_time) backend.time = kvm::Backend_config::Time::measured;
    backend.wall_deadline = start + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(s.limits.timeout_s));
    std::optional<Realtime_console> terminal;
    sim::Machine_config config = machine_config(s, backend);
    if (s.machine.time == Time_mode::real_time) {
        terminal.emplace(options.input, s.machine.tsc_khz);
        config.pace = [&terminal](std::uint64_t tsc) { terminal->pace(tsc); };
    }
    sim::Machine machine{config};
    if (machine.vcpu_backend() == nullptr) throw Scenario_error(kvm::probe().reason);
    std::vector<Vm_slot> vms;
    std::uint64_t next_frame = first_guest_frame;
    for (Vm_description const& d : s.vms) {
        Vm_slot slot;
        std::string prefix = s.vms.size() > 1 ? d.name + ": " : "";
        slot.console =
            std::make_unique<Console>(prefix, options.console, start, report.first_serial_seconds);
        slot.vm = std::make_unique<vmm::Vm>(machine, vm_config(d, next_frame), *slot.console);
        slot.vm->set_boot(load_image(s, d, slot.vm->ram()));
        if (terminal && vms.empty()) {
            std::uint64_t ten_ms = std::uint64_t{s.machine.tsc_khz} * 10;
            slot.vm->set_console_input([&terminal] { return terminal->take(); }, ten_ms);
        }
        next_frame += (d.ram + 0xfff) >> 12;
        vms.push_back(std::move(slot));
    }
    sim::Run_result run = machine.run([&vms](sim::Env& root) {
        for (Vm_slot& slot : vms) slot.vm->start(root);
        root.create_sm(0x5000);
        root.sm_down(0x5000); // the VMs run on their own ECs; the root has nothing more to do
    });
    report.stop =
        std::string{sim::stop_name(run.stop)} + (run.detail.empty() ? "" : ": " + run.detail);
    report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    report.simulated_ns = machine.engine().tsc(0) / s.machine.tsc_khz * 1'000'000;
    for (std::size_t i = 0; i < vms.size(); ++i) {
        vmm::Vm& vm = *vms[i].vm;
        report.vms.push_back(Vm_outcome{s.vms[i].name, vm.exit_status(), vm.failure(),
                                        vm.histogram(), vms[i].console->text});
    }
    report.exit_code = exit_code_of(report);
    return report;
}

void print_stats(Run_report const& report, std::ostream& out)
{
    for (Vm_outcome const& vm : report.vms) {
        out << fmt::format("exits of {}:\n", vm.name);
        std::uint64_t total = 0;
        for (auto const& [key, count] : vm.histogram) {
            out << fmt::format("  vcpu {:>2}  {:<20} {:>10}\n", key.first,
                               vmm::event_name(key.second), count);
            total += count;
        }
        out << fmt::format("  total {:>35}\n", total);
    }
    out << fmt::format("run: {:.3f} s host, {:.3f} ms simulated; {}\n", report.seconds,
                       report.simulated_ns / 1e6, report.stop);
}

} // namespace scenarios
