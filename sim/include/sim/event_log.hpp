// The simulator's event log: every dispatch, hypercall, exception, timer and IPI as a compact
// record, folded into a running FNV-1a hash. Two runs of one scenario with one seed must produce
// the same hash; a test that compares hashes therefore compares whole schedules. ECs are named by
// stable ids (creation order), never by host pointers, so the hash does not depend on where the
// host allocator put things.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace nova {
class Ec;
}

namespace sim {

struct Event {
    enum class Kind : std::uint8_t {
        dispatch,        // a: flow EC id (0: the CPU idles)
        resume_paused,   // a: flow EC id, resumed at a lockstep pause without dispatch
        pause,           // a: flow EC id, paused so that other CPUs catch up
        suspend,         // a: flow EC id
        flow_start,      // a: flow EC id
        flow_end,        // a: flow EC id
        hypercall_entry, // a: EC id, b: hypercall number
        hypercall_exit,  // a: EC id, b: hypercall number, c: status
        exception_entry, // a: EC id, b: vector, c: fault address
        exception_exit,  // a: EC id, b: vector, c: 1 handled, 0 killed
        handler_start,   // a: local EC id, b: PID
        handler_end,     // a: local EC id, b: 1 replied, 0 killed
        timer_set,       // a: deadline
        timer_fire,
        ipi_send,    // a: target CPU, b: arrival time
        ipi_deliver, // a: IPIs coalesced into this delivery
    };

    Kind kind;
    std::uint32_t cpu;
    std::uint64_t time; // the CPU's TSC when it happened
    std::uint64_t a{0}, b{0}, c{0};
};

std::string to_string(Event const& e);

// Owned by the Machine; written only by the simulator's single host thread.
class Event_log {
  public:
    static constexpr std::uint64_t fnv_offset = 0xcbf2'9ce4'8422'2325ull;

    // Keeping the records costs memory; the hash is kept unless the log is off, which a caller
    // that needs raw speed and no determinism check (a fuzzer) may choose.
    explicit Event_log(bool keep_records = false, bool on = true) : keep_{keep_records}, on_{on} {}

    bool on() const { return on_; }
    void record(Event const& e)
    {
        if (on_) fold_in(e);
        if (observer_) observer_(e);
    }
    // Sees every event as it is recorded (a trace recorder or replayer follows dispatches);
    // an empty function ends it.
    void observe(std::function<void(Event const&)> observer) { observer_ = std::move(observer); }
    std::uint64_t hash() const { return hash_; }
    std::uint64_t count() const { return count_; }
    std::vector<Event> const& records() const { return records_; }

    // A new EC came into being: it gets the next id, even if its address was used before.
    std::uint64_t name_new(nova::Ec const* ec);
    // The EC's id; one the log has not seen created is named at first sight.
    std::uint64_t id_of(nova::Ec const* ec) { return on_ ? lookup(ec) : 0; }

  private:
    void fold(std::uint64_t value);
    void fold_in(Event const& e);
    std::uint64_t lookup(nova::Ec const* ec);

    bool keep_;
    bool on_;
    std::uint64_t hash_{fnv_offset};
    std::uint64_t count_{0};
    std::vector<Event> records_;
    std::function<void(Event const&)> observer_;
    std::unordered_map<nova::Ec const*, std::uint64_t> ids_;
    std::uint64_t next_id_{1}; // 0 means "no EC"
    struct Cached {
        nova::Ec const* ec{nullptr};
        std::uint64_t id{0};
    };
    std::array<Cached, 4> recent_{}; // in front of ids_
    std::size_t next_slot_{0};
};

} // namespace sim
