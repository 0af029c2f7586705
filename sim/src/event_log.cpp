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

// FNV-1a with 64-bit words for bytes: each field's value (never its bytes in memory) is mixed
// in, so the hash depends neither on struct padding nor on the host's byte order. Every hypercall
// is logged, so this sits on the IPC fast path: one multiply per field.
void Event_log::fold(std::uint64_t value)
{
    constexpr std::uint64_t prime = 0x100'0000'01b3ull;
    hash_ = (hash_ ^ value) * prime;
}

void Event_log::fold_in(Event const& e)
{
    fold(static_cast<std::uint64_t>(e.kind) << 32 | e.cpu);
    fold(e.time);
    fold(e.a);
    fold(e.b);
    fold(e.c);
    ++count_;
    if (keep_) records_.push_back(e);
}

std::uint64_t Event_log::name_new(nova::Ec const* ec)
{
    if (!on_) return 0;
    for (Cached& c : recent_) {
        if (c.ec == ec) c.ec = nullptr; // a new EC at an address the cache remembers
    }
    return ids_[ec] = next_id_++;
}

// A few ECs take turns on the IPC path (a caller and its handlers): a small cache in front of
// the map keeps logging off the profile.
std::uint64_t Event_log::lookup(nova::Ec const* ec)
{
    if (ec == nullptr) return 0;
    for (Cached const& c : recent_) {
        if (c.ec == ec) return c.id;
    }
    auto it = ids_.find(ec);
    std::uint64_t id = it != ids_.end() ? it->second : name_new(ec);
    recent_[next_slot_] = Cached{ec, id};
    next_slot_ = (next_slot_ + 1) % recent_.size();
    return id;
}

} // namespace sim
