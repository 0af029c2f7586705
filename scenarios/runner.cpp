#include "scenarios/runner.hpp"

#include "kvm/backend.hpp"
#include "kvm/probe.hpp"
#include "kvm/trace/recorder.hpp"
#include "realtime_console.hpp"
#include "session.hpp"

#include <fmt/format.h>
#include <fstream>

namespace scenarios {

namespace {

using Clock = std::chrono::steady_clock;

kvm::Backend_config backend_config(Scenario const& s)
{
    kvm::Backend_config backend{};
    if (s.machine.time == Time_mode::real_time) backend.time = kvm::Backend_config::Time::measured;
    backend.wall_deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(s.limits.timeout_s));
    return backend;
}

// The host's CPU as /proc/cpuinfo names it, with its feature flags.
std::string host_cpu()
{
    std::ifstream in{"/proc/cpuinfo"};
    std::string line, model, flags;
    while (std::getline(in, line) && (model.empty() || flags.empty())) {
        if (model.empty() && line.starts_with("model name"))
            model = line.substr(line.find(':') + 2);
        if (flags.empty() && line.starts_with("flags")) flags = line.substr(line.find(':') + 2);
    }
    return model + "; flags: " + flags;
}

std::string calibration_of(kvm::trace::Recorder const* recorder)
{
    auto const* backend = dynamic_cast<kvm::Backend const*>(&recorder->inner());
    if (backend == nullptr) return "";
    kvm::Calibration const& c = backend->calibration();
    return fmt::format("KVM leaves RIP after OUT: {}; after HLT: {}",
                       c.out_rip_after ? "yes" : "no", c.hlt_rip_after ? "yes" : "no");
}

kvm::trace::Header trace_header(Scenario const& s, Image_store const& images,
                                kvm::trace::Recorder const* recorder)
{
    kvm::trace::Header h;
    h.novasim_version = NOVASIM_VERSION;
    h.scenario_file = s.file;
    h.scenario_text = s.text;
    for (auto const& [name, bytes] : images) h.images.emplace_back(name, bytes);
    h.host_kvm = kvm::probe().reason;
    h.host_cpu = host_cpu();
    h.calibration = calibration_of(recorder);
    return h;
}

// The last record of a trace: how the run ended, as `novasim run` reports it.
std::string end_text(Run_report const& r)
{
    return fmt::format("exit code {}; {}", r.exit_code, r.stop);
}

} // namespace

Run_report run_scenario(Scenario const& s, Run_options const& options)
{
    Image_store images = read_images(s);
    Session_config config{.backend = kvm::kvm_backend(backend_config(s)),
                          .console = options.console};
    std::optional<Realtime_console> terminal;
    std::unique_ptr<kvm::trace::Writer> writer;
    kvm::trace::Recorder* recorder = nullptr;
    if (!options.record.empty()) {
        writer = std::make_unique<kvm::trace::Writer>(options.record);
        config.backend = kvm::trace::recording(config.backend, *writer, &recorder);
        config.log_events = true;
    }
    if (s.machine.time == Time_mode::real_time) {
        terminal.emplace(options.input, s.machine.tsc_khz);
        config.pace = [&terminal](std::uint64_t tsc) { terminal->pace(tsc); };
        config.input = [&terminal, &recorder, calls = std::uint64_t{0}]() mutable {
            std::optional<std::uint8_t> byte = terminal->take();
            ++calls;
            if (byte && recorder != nullptr) recorder->input(0, calls, *byte);
            return byte;
        };
    }
    Session session{s, images, config};
    if (session.machine().vcpu_backend() == nullptr) throw Scenario_error(kvm::probe().reason);
    if (writer) writer->write_header(trace_header(s, images, recorder));
    Run_report report = session.run();
    if (recorder != nullptr) {
        recorder->end(end_text(report));
        report.trace_records = writer->records();
        report.trace_bytes = writer->bytes();
    }
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
