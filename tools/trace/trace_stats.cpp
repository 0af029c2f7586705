#include "trace/trace_stats.hpp"

#include "nova/platform.hpp"
#include "trace/event_names.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace trace_tools {

namespace {

using kvm::trace::Record;

struct Totals {
    std::uint64_t messages{0}, cycles{0};
};

Totals totals(std::map<mword, Event_stats> const& events)
{
    Totals t;
    for (auto const& [event, s] : events) t.messages += s.messages, t.cycles += s.cycles;
    return t;
}

std::string percent(std::uint64_t part, std::uint64_t whole)
{
    if (whole == 0) return "-";
    return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// Most messages first, as kvm_stat sorts; the stretches without an exit last.
std::vector<std::pair<mword, Event_stats>> ranked(std::map<mword, Event_stats> const& events)
{
    std::vector<std::pair<mword, Event_stats>> rows(events.begin(), events.end());
    std::stable_sort(rows.begin(), rows.end(), [](auto const& a, auto const& b) {
        bool a_none = a.first == nova::Vm_exit::none, b_none = b.first == nova::Vm_exit::none;
        if (a_none != b_none) return b_none;
        return a.second.messages > b.second.messages;
    });
    return rows;
}

std::string counted(std::uint64_t n, char const* one, char const* many)
{
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string event_cell(mword event)
{
    if (event == nova::Vm_exit::none) return fmt::format("{:<5} {}", "-", event_label(event));
    return fmt::format("{:<#5x} {}", event, event_label(event));
}

void print_vcpu(std::size_t index, kvm::trace::Vcpu_summary const& v,
                std::map<mword, Event_stats> const& events, Recorded_machine const& m,
                std::ostream& out)
{
    Totals t = totals(events);
    out << fmt::format("vCPU {} (CPU {}, EC {}): {}, {:.3f} µs in {}\n", index, v.cpu, v.ec,
                       counted(t.messages, "event", "events"), m.micros(t.cycles),
                       counted(v.runs, "guest stretch", "guest stretches"));
    out << fmt::format("  {:<26} {:>10} {:>7} {:>14} {:>7}\n", "event", "count", "share",
                       "time (µs)", "share");
    for (auto const& [event, s] : ranked(events)) {
        bool exit = event != nova::Vm_exit::none;
        std::uint64_t count = exit ? s.messages : s.stretches;
        out << fmt::format("  {:<26} {:>10} {:>7} {:>14.3f} {:>7}\n", event_cell(event), count,
                           exit ? percent(s.messages, t.messages) : "-", m.micros(s.cycles),
                           percent(s.cycles, t.cycles));
    }
}

} // namespace

Exit_stats collect_exit_stats(kvm::trace::Reader& reader, std::size_t vcpus)
{
    Exit_stats stats(vcpus);
    while (std::optional<Record> r = reader.next()) {
        if (r->type == Record::Type::load) ++stats.at(r->vcpu)[r->event].messages;
        if (r->type != Record::Type::run) continue;
        Event_stats& s = stats.at(r->vcpu)[r->event];
        ++s.stretches, s.cycles += r->cycles;
    }
    return stats;
}

void print_stats(Opened_trace& trace, std::ostream& out)
{
    kvm::trace::Summary const& s = trace.summary;
    Exit_stats stats = collect_exit_stats(trace.reader, s.vcpus.size());
    out << fmt::format("simulated time at {} kHz{}\n", trace.machine.tsc_khz,
                       trace.machine.scenario_error ? " (the scenario format's default)" : "");
    for (std::size_t i = 0; i < s.vcpus.size(); ++i)
        print_vcpu(i, s.vcpus[i], stats[i], trace.machine, out);
    out << "dispatches by CPU:\n";
    if (s.dispatches.empty()) out << "  none\n";
    for (auto const& [cpu, count] : s.dispatches)
        out << fmt::format("  CPU {:<3} {:>10}\n", cpu, count);
}

} // namespace trace_tools
