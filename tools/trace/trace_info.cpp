#include "trace/trace_info.hpp"

#include <fmt/format.h>

namespace trace_tools {

namespace {

using kvm::trace::Record;

void line(std::ostream& out, char const* key, std::string const& value)
{
    out << fmt::format("  {:<13} {}\n", key, value);
}

std::string scenario_line(kvm::trace::Header const& h, Recorded_machine const& m)
{
    std::string text =
        fmt::format("{} ({} bytes of TOML)", h.scenario_file, h.scenario_text.size());
    if (m.scenario_error) return text + "; it does not parse: " + *m.scenario_error;
    return text +
           fmt::format(": {} CPU{}, TSC {} kHz", *m.cpus, *m.cpus == 1 ? "" : "s", m.tsc_khz);
}

void print_header(kvm::trace::Header const& h, Recorded_machine const& m, std::ostream& out)
{
    line(out, "format", fmt::format("version {}", h.version));
    line(out, "novasim", h.novasim_version);
    line(out, "scenario", scenario_line(h, m));
    line(out, "images", fmt::format("{}", h.images.size()));
    for (auto const& [name, bytes] : h.images)
        out << fmt::format("    {:<24} {} bytes\n", name, bytes.size());
    // A second recording of the same scenario on another host differs here and nowhere else.
    out << "  host-dependent (they describe the recording host, not the run):\n";
    out << fmt::format("    {:<11} {}\n", "host_kvm", h.host_kvm);
    out << fmt::format("    {:<11} {}\n", "host_cpu", h.host_cpu);
    out << fmt::format("    {:<11} {}\n", "calibration", h.calibration);
}

std::string records_line(kvm::trace::Summary const& s)
{
    std::string text = fmt::format("{}", s.records);
    char const* separator = ": ";
    for (std::size_t t = 1; t < s.by_type.size(); ++t) {
        if (s.by_type[t] == 0) continue;
        text += fmt::format("{}{} {}", separator, type_name(static_cast<Record::Type>(t)),
                            s.by_type[t]);
        separator = ", ";
    }
    return text;
}

std::string bytes_line(kvm::trace::Summary const& s)
{
    if (s.events == 0) return fmt::format("{}", s.bytes);
    return fmt::format("{} ({:.1f} per event)", s.bytes,
                       static_cast<double>(s.bytes) / static_cast<double>(s.events));
}

std::string tail_line(Opened_trace const& t)
{
    if (!t.tail_at) return "complete";
    return fmt::format("missing: the file ends inside the chunk at byte {}, whose records are lost "
                       "(was the recorder killed?)",
                       *t.tail_at);
}

} // namespace

void print_info(std::string const& file, Opened_trace const& trace, std::ostream& out)
{
    kvm::trace::Summary const& s = trace.summary;
    out << file << ": a novasim VM-exit trace\n";
    print_header(trace.reader.header(), trace.machine, out);
    line(out, "records", records_line(s));
    line(out, "events", fmt::format("{} (messages delivered to the VMM's handlers)", s.events));
    line(out, "vcpus", fmt::format("{}", s.vcpus.size()));
    line(out, "bytes", bytes_line(s));
    line(out, "tail", tail_line(trace));
    line(out, "end", s.end ? fmt::format("{:?}", *s.end) : "none (no end record)");
}

} // namespace trace_tools
