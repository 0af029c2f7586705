#include "session.hpp"

#include <fmt/format.h>

namespace scenarios {

// A guest's COM1: kept for the report, and passed on to the console as it comes.
class Console final : public vmm::Serial_peer {
  public:
    Console(std::string prefix, std::ostream* out, Session::Clock::time_point start, double& first)
        : prefix_{std::move(prefix)}, out_{out}, start_{start}, first_{first}
    {
    }
    void transmit(vmm::u8 byte) override
    {
        if (first_ < 0)
            first_ = std::chrono::duration<double>(Session::Clock::now() - start_).count();
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
    Session::Clock::time_point start_;
    double& first_;
    bool at_line_start_{true};
};

namespace {

constexpr std::uint64_t kernel_bytes = 32ull << 20;
constexpr std::uint64_t first_guest_frame = 0x100; // guest RAM from 1 MiB of the machine up

std::uint64_t pages_of(std::uint64_t bytes)
{
    return (bytes + 0xfff) >> 12;
}

sim::Machine_config machine_config(Scenario const& s, Session_config const& session)
{
    std::uint64_t guests = 0;
    for (Vm_description const& vm : s.vms) guests += pages_of(vm.ram) << 12;
    sim::Machine_config c{};
    c.cpus = s.machine.cpus;
    c.tsc_khz = s.machine.tsc_khz;
    c.kernel_bytes = kernel_bytes;
    c.ram_bytes = s.machine.memory != 0 ? s.machine.memory
                                        : (first_guest_frame << 12) + guests + kernel_bytes;
    c.log_events = session.log_events;
    c.vcpu_backend = session.backend;
    c.pace = session.pace;
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

} // namespace

Session::Session(Scenario const& s, Image_store const& images, Session_config config)
    : scenario_{s}, config_{std::move(config)}, machine_{std::make_unique<sim::Machine>(
                                                    machine_config(s, config_))}
{
    if (machine_->vcpu_backend() != nullptr) add_vms(images);
}

Session::~Session() = default;

void Session::add_vms(Image_store const& images)
{
    std::uint64_t next_frame = first_guest_frame;
    for (Vm_description const& d : scenario_.vms) {
        Vm_slot slot;
        std::string prefix = scenario_.vms.size() > 1 ? d.name + ": " : "";
        slot.console =
            std::make_unique<Console>(prefix, config_.console, start_, first_serial_seconds_);
        slot.vm = std::make_unique<vmm::Vm>(*machine_, vm_config(d, next_frame), *slot.console);
        slot.vm->set_boot(load_image(scenario_, d, slot.vm->ram(), images));
        if (config_.input && vms_.empty()) {
            std::uint64_t ten_ms = std::uint64_t{scenario_.machine.tsc_khz} * 10;
            slot.vm->set_console_input(config_.input, ten_ms);
        }
        next_frame += pages_of(d.ram);
        vms_.push_back(std::move(slot));
    }
}

Run_report Session::run()
{
    Run_report report;
    sim::Run_result run = machine_->run([this](sim::Env& root) {
        for (Vm_slot& slot : vms_) slot.vm->start(root);
        root.create_sm(0x5000);
        root.sm_down(0x5000); // the VMs run on their own ECs; the root has nothing more to do
    });
    report.stop =
        std::string{sim::stop_name(run.stop)} + (run.detail.empty() ? "" : ": " + run.detail);
    report.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    std::uint64_t tsc = machine_->engine().tsc(0), khz = scenario_.machine.tsc_khz;
    report.simulated_ns = tsc / khz * 1'000'000 + tsc % khz * 1'000'000 / khz;
    report.first_serial_seconds = first_serial_seconds_;
    for (std::size_t i = 0; i < vms_.size(); ++i) {
        vmm::Vm& vm = *vms_[i].vm;
        report.vms.push_back(Vm_outcome{scenario_.vms[i].name, vm.exit_status(), vm.failure(),
                                        vm.histogram(), vms_[i].console->text});
    }
    report.exit_code = exit_code_of(report);
    return report;
}

int exit_code_of(Run_report const& r)
{
    for (Vm_outcome const& vm : r.vms) {
        if (vm.failure) return exit_failed;
        if (vm.exit_status) return static_cast<int>(*vm.exit_status & 0xff);
    }
    return r.stop.find("wall-clock") != std::string::npos ? exit_timeout : exit_no_status;
}

} // namespace scenarios
