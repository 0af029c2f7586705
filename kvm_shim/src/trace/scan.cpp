#include "kvm/trace/scan.hpp"

#include "kvm/trace/fields.hpp"
#include "nova/platform.hpp"
#include "nova/vmx.hpp"

#include <fmt/format.h>

namespace kvm::trace {

namespace {

using Type = Record::Type;

// What a vCPU may do next, as the kernel's exit path orders it.
struct Vcpu_progress {
    bool alive{true};
    mword exited{nova::Vm_exit::none};  // the event its last stretch ended with, not yet delivered
    mword message{nova::Vm_exit::none}; // the event of the message a reply may answer
};

class Checker {
  public:
    Checker(Summary& summary, Scan_limits const& limits) : s_{summary}, limits_{limits} {}

    void check(Record const& r)
    {
        if (s_.end) fail(r, "a record after the end record");
        ++s_.records;
        ++s_.by_type[static_cast<std::size_t>(r.type)];
        switch (r.type) {
        case Type::vcpu_create:
            create(r);
            break;
        case Type::vcpu_destroy:
            progress(r).alive = false;
            break;
        case Type::run:
            run(r);
            break;
        case Type::load:
            load(r);
            break;
        case Type::store:
            store(r);
            break;
        case Type::input:
            if (r.bytes.size() != 1) fail(r, "console input comes one byte per record");
            break;
        case Type::dispatch:
            dispatch(r);
            break;
        case Type::end:
            s_.end = std::string(r.bytes.begin(), r.bytes.end());
            break;
        }
    }

  private:
    [[noreturn]] static void fail(Record const& r, std::string const& what)
    {
        throw Format_error(r.offset, fmt::format("{} record: {}", type_name(r.type), what));
    }

    void cpu_exists(Record const& r) const
    {
        if (r.cpu >= limits_.cpus)
            fail(r, fmt::format("CPU {}, but the scenario's machine has {}", r.cpu, limits_.cpus));
    }

    void create(Record const& r)
    {
        if (r.vcpu != s_.vcpus.size())
            fail(r, fmt::format("vCPU {} created as the vCPU number {}", r.vcpu, s_.vcpus.size()));
        if (r.vcpu >= limits_.vcpus)
            fail(r, fmt::format("vCPU {}, but the scenario has {} vCPUs", r.vcpu, limits_.vcpus));
        cpu_exists(r);
        s_.vcpus.push_back(Vcpu_summary{r.cpu, r.ec, {}, 0, 0});
        progress_.emplace_back();
    }

    Vcpu_progress& progress(Record const& r)
    {
        if (r.vcpu >= progress_.size()) fail(r, fmt::format("vCPU {} was never created", r.vcpu));
        Vcpu_progress& p = progress_[r.vcpu];
        if (!p.alive) fail(r, fmt::format("vCPU {} was destroyed", r.vcpu));
        return p;
    }

    void run(Record const& r)
    {
        Vcpu_progress& p = progress(r);
        Vcpu_summary& v = s_.vcpus[r.vcpu];
        if (r.cpu != v.cpu)
            fail(r, fmt::format("vCPU {} runs on CPU {}, not {}", r.vcpu, v.cpu, r.cpu));
        if (r.event != nova::Vm_exit::none && nova::vmx::event_name(r.event) == nullptr)
            fail(r, fmt::format("event {:#x} is not one novasim delivers", r.event));
        p.exited = r.event, p.message = nova::Vm_exit::none;
        ++v.runs, v.cycles += r.cycles;
    }

    void load(Record const& r)
    {
        Vcpu_progress& p = progress(r);
        bool kernel_made = r.event == nova::vmx::startup || r.event == nova::vmx::recall;
        if (r.event != p.exited && !kernel_made)
            fail(r, fmt::format(
                        "a message for event {:#x}, but vCPU {} exited with {}", r.event, r.vcpu,
                        p.exited == nova::Vm_exit::none ? "none" : fmt::format("{:#x}", p.exited)));
        if (r.event == p.exited) p.exited = nova::Vm_exit::none;
        p.message = r.event;
        ++s_.events, ++s_.vcpus[r.vcpu].exits[r.event];
    }

    void store(Record const& r)
    {
        Vcpu_progress& p = progress(r);
        if (p.message != r.event)
            fail(r, fmt::format("a reply for event {:#x} of vCPU {}, which has no message for it",
                                r.event, r.vcpu));
        p.message = nova::Vm_exit::none;
    }

    void dispatch(Record const& r)
    {
        cpu_exists(r);
        ++s_.dispatches[r.cpu];
    }

    Summary& s_;
    Scan_limits limits_;
    std::vector<Vcpu_progress> progress_;
};

} // namespace

Summary scan(Reader& reader, Scan_limits const& limits)
{
    Summary summary;
    summary.bytes = reader.size();
    Checker checker{summary, limits};
    while (std::optional<Record> r = reader.next()) checker.check(*r);
    summary.tail_missing = reader.tail_missing();
    return summary;
}

std::string describe(Record const& r)
{
    auto event = [](mword e) {
        char const* name = nova::vmx::event_name(e);
        return e == nova::Vm_exit::none ? std::string{"none"}
                                        : fmt::format("{:#x} ({})", e, name ? name : "?");
    };
    switch (r.type) {
    case Type::vcpu_create:
        return fmt::format("vcpu_create vcpu={} cpu={} ec={}", r.vcpu, r.cpu, r.ec);
    case Type::vcpu_destroy:
        return fmt::format("vcpu_destroy vcpu={}", r.vcpu);
    case Type::run:
        return fmt::format("run vcpu={} cpu={} tsc={} exit={} qual={:#x},{:#x}{} cycles={}", r.vcpu,
                           r.cpu, r.tsc, event(r.event), r.qual[0], r.qual[1],
                           r.optional ? " optional" : "", r.cycles);
    case Type::load:
    case Type::store:
        return fmt::format("{} vcpu={} event={} mtd={} {}", type_name(r.type), r.vcpu,
                           event(r.event), mtd_names(r.mtd),
                           r.state ? trace::describe(*r.state, r.mtd) : "");
    case Type::input:
        return fmt::format("input vm={} call={} bytes={}", r.vm, r.call, r.bytes.size());
    case Type::dispatch:
        return fmt::format("dispatch cpu={} tsc={} ec={}", r.cpu, r.tsc, r.ec);
    case Type::end:
        // Escaped, so that the end's words stay on the record's one line.
        return fmt::format("end {:?}", std::string(r.bytes.begin(), r.bytes.end()));
    }
    return "?";
}

} // namespace kvm::trace
