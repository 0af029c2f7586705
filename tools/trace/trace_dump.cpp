#include "trace/trace_dump.hpp"

#include "kvm/trace/scan.hpp"

#include <fmt/format.h>
#include <map>

namespace trace_tools {

namespace {

using kvm::trace::Record;
using Type = Record::Type;

bool names_vcpu(Record const& r)
{
    return r.type == Type::vcpu_create || r.type == Type::vcpu_destroy || r.type == Type::run ||
           r.type == Type::load || r.type == Type::store;
}

bool names_event(Record const& r)
{
    return r.type == Type::run || r.type == Type::load || r.type == Type::store;
}

// Follows the file to number the events and to know which EC is which vCPU's.
class Dump {
  public:
    Dump(Dump_filter const& filter, std::ostream& out)
        : filter_{filter}, out_{out}, started_{filter.from == 0}
    {
    }

    // False once --count lines are out.
    bool take(Record const& r)
    {
        std::optional<std::uint64_t> index = follow(r);
        if (index && *index == filter_.from) started_ = true;
        if (!started_ || !wanted(r)) return true;
        if (index) out_ << fmt::format("#{} ", *index);
        out_ << kvm::trace::describe(r) << '\n';
        return ++printed_ < filter_.count;
    }
    std::uint64_t printed() const { return printed_; }

  private:
    // The event index a message or reply belongs to.
    std::optional<std::uint64_t> follow(Record const& r)
    {
        if (r.type == Type::vcpu_create) vcpu_of_ec_[r.ec] = r.vcpu;
        if (r.type == Type::load) message_of_vcpu_[r.vcpu] = events_++;
        if (r.type == Type::load || r.type == Type::store) return message_of_vcpu_[r.vcpu];
        return std::nullopt;
    }

    bool wanted(Record const& r) const
    {
        if (!filter_.vcpus.empty() && !of_wanted_vcpu(r)) return false;
        if (filter_.events.empty()) return true;
        return names_event(r) && filter_.events.contains(r.event);
    }

    bool of_wanted_vcpu(Record const& r) const
    {
        if (names_vcpu(r)) return filter_.vcpus.contains(r.vcpu);
        if (r.type != Type::dispatch) return false;
        auto it = vcpu_of_ec_.find(r.ec);
        return it != vcpu_of_ec_.end() && filter_.vcpus.contains(it->second);
    }

    Dump_filter const& filter_;
    std::ostream& out_;
    std::map<std::uint64_t, std::uint32_t> vcpu_of_ec_;
    std::map<std::uint32_t, std::uint64_t> message_of_vcpu_;
    std::uint64_t events_{0};
    std::uint64_t printed_{0};
    bool started_; // --from's message has come
};

} // namespace

std::uint64_t dump(kvm::trace::Reader& reader, Dump_filter const& filter, std::ostream& out)
{
    if (filter.count == 0) return 0;
    Dump d{filter, out};
    while (std::optional<Record> r = reader.next()) {
        if (!d.take(*r)) break;
    }
    return d.printed();
}

} // namespace trace_tools
