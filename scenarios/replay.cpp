#include "scenarios/replay.hpp"

#include "kvm/trace/fields.hpp"
#include "nova/vmx.hpp"
#include "session.hpp"

#include <fmt/format.h>

namespace scenarios {

namespace {

using kvm::trace::Replayer;

kvm::trace::Scan_limits limits_of(Scenario const& s)
{
    kvm::trace::Scan_limits limits{.cpus = s.machine.cpus, .vcpus = 0};
    for (Vm_description const& vm : s.vms) limits.vcpus += vm.vcpus;
    return limits;
}

Image_store images_of(kvm::trace::Header const& h)
{
    Image_store images;
    for (auto const& [name, bytes] : h.images) images.emplace(name, bytes);
    return images;
}

// A vCPU's last message and reply as recorded, for --until.
std::string describe_message(std::size_t vcpu, Replayer::Last_message const& m)
{
    if (m.event == nova::Vm_exit::none) return fmt::format("vCPU {}: no message yet\n", vcpu);
    char const* name = nova::vmx::event_name(m.event);
    return fmt::format("vCPU {}: event #{} {:#x} ({})\n  message {}: {}\n  reply   {}: {}\n", vcpu,
                       m.index, m.event, name ? name : "?", kvm::trace::mtd_names(m.mtd_in),
                       kvm::trace::describe(*m.in, m.mtd_in), kvm::trace::mtd_names(m.mtd_out),
                       kvm::trace::describe(*m.out, m.mtd_out));
}

std::string vmm_state(Session& session, Replayer const& replayer, Scenario const& s)
{
    std::string out;
    for (std::size_t i = 0; i < session.vm_count(); ++i) {
        vmm::Vm& vm = session.vm(i);
        out += fmt::format("VM {}:\n", s.vms[i].name);
        if (vm.exit_status()) out += fmt::format("  exit status {}\n", *vm.exit_status());
        if (vm.failure()) out += fmt::format("  failed: {}\n", *vm.failure());
        out += vm.board().describe_state();
    }
    auto const& last = replayer.last_messages();
    for (std::size_t v = 0; v < last.size(); ++v) out += describe_message(v, last[v]);
    return out;
}

} // namespace

Replay_report replay_trace(kvm::trace::Reader& reader, Replay_options const& options)
{
    Replay_report report;
    report.header = reader.header();
    Scenario s = parse_scenario(report.header.scenario_text, report.header.scenario_file);
    report.summary = kvm::trace::scan(reader, limits_of(s));
    reader.rewind();
    Replayer* replayer = nullptr;
    Session_config config{.backend = kvm::trace::replaying(reader, {options.until}, &replayer),
                          .log_events = true,
                          .console = options.console};
    if (s.machine.time == Time_mode::real_time)
        config.input = [&replayer] { return replayer->input(0); };
    Session session{s, images_of(report.header), config};
    if (options.adjust_vmm) {
        for (std::size_t i = 0; i < session.vm_count(); ++i) options.adjust_vmm(session.vm(i));
    }
    report.run = session.run();
    report.divergence = replayer->divergence();
    report.events = replayer->events();
    report.records = replayer->records();
    report.reached_until = replayer->reached_until();
    bool finished = replayer->finished();
    if (!report.divergence && !finished && !report.reached_until) {
        report.divergence = kvm::trace::Divergence{
            replayer->events(),
            reader.offset(),
            0,
            nova::Vm_exit::none,
            fmt::format("the replayed run ended ({}) before the trace did", report.run.stop),
            {}};
    }
    if (options.until) report.state = vmm_state(session, *replayer, s);
    report.exit_code = report.divergence ? exit_diverged : 0;
    return report;
}

void print_replay(Replay_report const& r, std::ostream& out)
{
    if (r.summary.tail_missing)
        out << "warning: the trace's last chunk is incomplete (the recorder did not finish); "
               "the complete chunks were replayed\n";
    if (r.divergence) {
        out << kvm::trace::describe(*r.divergence);
    } else if (r.reached_until) {
        out << fmt::format("replay stopped after event #{} (--until)\n", r.events - 1);
    } else {
        out << fmt::format("replay matched: {} events, {} records of {} ({} bytes) in {:.3f} s; "
                           "every reply as recorded\n",
                           r.events, r.records, r.header.scenario_file, r.summary.bytes,
                           r.run.seconds);
    }
    out << fmt::format("recorded run: {}\n", r.summary.end.value_or("(no end record)"));
    out << fmt::format("replayed run: exit code {}; {}\n", r.run.exit_code, r.run.stop);
    if (!r.state.empty()) out << "VMM state:\n" << r.state;
}

} // namespace scenarios
