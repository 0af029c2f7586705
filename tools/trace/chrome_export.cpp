#include "trace/chrome_export.hpp"

#include "nova/platform.hpp"
#include "trace/event_names.hpp"
#include "trace/json_text.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

namespace trace_tools {

namespace {

using kvm::trace::Record;

// The events array: one object per line, commas between them.
class Event_list {
  public:
    explicit Event_list(std::ostream& out) : out_{out} {}
    void add(std::string const& object)
    {
        out_ << (first_ ? "\n" : ",\n") << object;
        first_ = false;
    }

  private:
    std::ostream& out_;
    bool first_{true};
};

std::string name_metadata(char const* what, int pid, std::optional<std::uint32_t> tid,
                          std::string const& name)
{
    std::string thread = tid ? fmt::format(",\"tid\":{}", *tid) : "";
    return fmt::format(R"({{"ph":"M","pid":{}{},"name":"{}","args":{{"name":{}}}}})", pid, thread,
                       what, json_quoted(name));
}

void name_tracks(kvm::trace::Summary const& s, Event_list& events)
{
    std::set<std::uint32_t> cpus;
    for (auto const& [cpu, count] : s.dispatches) cpus.insert(cpu);
    for (kvm::trace::Vcpu_summary const& v : s.vcpus) cpus.insert(v.cpu);
    events.add(name_metadata("process_name", chrome_cpu_pid, {}, "simulated CPUs"));
    for (std::uint32_t cpu : cpus)
        events.add(name_metadata("thread_name", chrome_cpu_pid, cpu, fmt::format("CPU {}", cpu)));
    events.add(name_metadata("process_name", chrome_vcpu_pid, {}, "vCPUs"));
    for (std::uint32_t i = 0; i < s.vcpus.size(); ++i)
        events.add(name_metadata("thread_name", chrome_vcpu_pid, i,
                                 fmt::format("vCPU {} (CPU {})", i, s.vcpus[i].cpu)));
}

// Follows the records: the EC each CPU runs since its last dispatch, and each CPU's clock.
class Timeline {
  public:
    Timeline(Opened_trace const& trace, Event_list& events)
        : machine_{trace.machine}, events_{events}
    {
        for (std::uint32_t i = 0; i < trace.summary.vcpus.size(); ++i)
            ec_names_[trace.summary.vcpus[i].ec] = fmt::format("vCPU {}", i);
    }

    void take(Record const& r)
    {
        if (r.type == Record::Type::dispatch) dispatch(r);
        if (r.type == Record::Type::run) run(r);
    }

    // The ECs still running end where their CPU's clock last was.
    void finish()
    {
        for (auto const& entry : running_) close(entry.first, clock_[entry.first]);
    }

  private:
    struct Running {
        std::uint64_t since, ec;
    };

    void dispatch(Record const& r)
    {
        close(r.cpu, r.tsc);
        running_[r.cpu] = Running{r.tsc, r.ec};
        clock_[r.cpu] = std::max(clock_[r.cpu], r.tsc);
    }

    void run(Record const& r)
    {
        clock_[r.cpu] = std::max(clock_[r.cpu], r.tsc + r.cycles);
        std::string args = fmt::format(R"("event":"{:#x}","qual":["{:#x}","{:#x}"])", r.event,
                                       r.qual[0], r.qual[1]);
        if (r.event == nova::Vm_exit::none) args = R"("event":"none")";
        if (r.optional) args += R"(,"optional":true)";
        events_.add(slice(chrome_vcpu_pid, r.vcpu, r.tsc, r.cycles, event_label(r.event), args));
    }

    void close(std::uint32_t cpu, std::uint64_t end)
    {
        auto it = running_.find(cpu);
        if (it == running_.end() || it->second.ec == 0) return; // idle is not drawn
        Running const& was = it->second;
        std::uint64_t cycles = end > was.since ? end - was.since : 0;
        events_.add(slice(chrome_cpu_pid, cpu, was.since, cycles, ec_name(was.ec),
                          fmt::format(R"("ec":{})", was.ec)));
    }

    std::string ec_name(std::uint64_t ec) const
    {
        auto it = ec_names_.find(ec);
        return it != ec_names_.end() ? it->second : fmt::format("EC {}", ec);
    }

    std::string slice(int pid, std::uint32_t tid, std::uint64_t tsc, std::uint64_t cycles,
                      std::string const& name, std::string const& args) const
    {
        return fmt::format(
            R"({{"ph":"X","pid":{},"tid":{},"ts":{:.3f},"dur":{:.3f},"name":{},"args":{{{}}}}})",
            pid, tid, machine_.micros(tsc), machine_.micros(cycles), json_quoted(name), args);
    }

    Recorded_machine const& machine_;
    Event_list& events_;
    std::map<std::uint64_t, std::string> ec_names_;
    std::map<std::uint32_t, Running> running_;
    std::map<std::uint32_t, std::uint64_t> clock_;
};

std::string other_data(Opened_trace const& trace)
{
    kvm::trace::Header const& h = trace.reader.header();
    std::optional<std::string> const& end = trace.summary.end;
    return fmt::format(R"("otherData":{{"novasim":{},"scenario":{},"tsc_khz":{},"end":{}}})",
                       json_quoted(h.novasim_version), json_quoted(h.scenario_file),
                       trace.machine.tsc_khz, end ? json_quoted(*end) : "null");
}

} // namespace

void export_chrome(Opened_trace& trace, std::ostream& out)
{
    out << R"({"displayTimeUnit":"ns","traceEvents":[)";
    Event_list events{out};
    name_tracks(trace.summary, events);
    Timeline timeline{trace, events};
    while (std::optional<Record> r = trace.reader.next()) timeline.take(*r);
    timeline.finish();
    out << "\n]," << other_data(trace) << "}\n";
}

} // namespace trace_tools
