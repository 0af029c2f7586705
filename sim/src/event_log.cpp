#include "sim/event_log.hpp"

#include <fmt/format.h>

namespace sim {

namespace {

char const* kind_name(Event::Kind k)
{
    constexpr char const* names[] = {
        "dispatch",        "resume_paused",  "pause",           "suspend",
        "flow_start",      "flow_end",       "hypercall_entry", "hypercall_exit",
        "exception_entry", "exception_exit", "handler_start",   "handler_end",
        "timer_set",       "timer_fire",     "ipi_send",        "ipi_deliver",
    };
    return names[static_cast<unsigned>(k)];
}

} // namespace

std::string to_string(Event const& e)
{
    return fmt::format("cpu{} t={} {} a={} b={} c={}", e.cpu, e.time, kind_name(e.kind), e.a, e.b,
                       e.c);
}

// FNV-1a over the little-endian bytes of each field, so that the hash depends neither on struct
// padding nor on the host's byte order.
void Event_log::fold(std::uint64_t value, unsigned bytes)
{
    constexpr std::uint64_t prime = 0x100'0000'01b3ull;
    for (unsigned i = 0; i < bytes; ++i) {
        hash_ ^= (value >> (8 * i)) & 0xff;
        hash_ *= prime;
    }
}

void Event_log::record(Event const& e)
{
    fold(static_cast<std::uint64_t>(e.kind), 1);
    fold(e.cpu, 4);
    fold(e.time, 8);
    fold(e.a, 8);
    fold(e.b, 8);
    fold(e.c, 8);
    ++count_;
    if (keep_) records_.push_back(e);
}

std::uint64_t Event_log::name_new(nova::Ec const* ec)
{
    return ids_[ec] = next_id_++;
}

std::uint64_t Event_log::id_of(nova::Ec const* ec)
{
    if (ec == nullptr) return 0;
    auto it = ids_.find(ec);
    return it != ids_.end() ? it->second : name_new(ec);
}

} // namespace sim
