// Replaying a trace (novasim replay): a vCPU backend that runs no guest. A vCPU's entry gets the
// stretch the trace recorded and is charged its simulated time; a handler gets the recorded
// message; a reply is compared with the recorded one, field by field. Dispatches and console
// polls are checked against the trace too, so the replay follows the recorded order exactly and
// the first difference stops it, with where and what.
#pragma once

#include "kvm/trace/reader.hpp"
#include "sim/machine.hpp"
#include "sim/vcpu_backend.hpp"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace kvm::trace {

struct Field_diff {
    std::string field;
    std::uint64_t recorded, replayed;
};

struct Divergence {
    std::uint64_t event_index; // the event (message) count when it happened
    std::uint64_t offset;      // the record's place in the file
    std::uint32_t vcpu;
    mword event;      // the event of the message whose reply differs (none: not a reply)
    std::string what; // in words
    std::vector<Field_diff> fields;
};
std::string describe(Divergence const& d);

struct Replay_limits {
    std::optional<std::uint64_t> until; // stop after the reply to this event (its index)
};

class Replayer final : public sim::Vcpu_backend {
  public:
    Replayer(sim::Machine& machine, Reader& reader, Replay_limits const& limits);
    ~Replayer() override;
    Replayer(Replayer const&) = delete;
    Replayer& operator=(Replayer const&) = delete;

    bool create(nova::Ec& vcpu) override;
    void destroy(nova::Ec& vcpu) override;
    nova::Vm_exit run(nova::Ec& vcpu) override;
    void load(nova::Ec& vcpu, mword mtd, nova::Utcb_arch& to) override;
    void store(nova::Ec& vcpu, mword mtd, nova::Utcb_arch const& from) override;
    void guest_view_changed(nova::Pd&, mword, mword) override {}

    // The VMM of `vm` polls its console input: what the recorded VMM got at this poll.
    std::optional<std::uint8_t> input(std::uint32_t vm);

    std::optional<Divergence> const& divergence() const { return divergence_; }
    bool reached_end() const { return reached_end_; } // the replay asked past the last record
    // Nothing but the end record is left: the replayed run went as far as the recorded one.
    bool finished();
    bool reached_until() const { return reached_until_; }
    std::uint64_t events() const { return events_; }   // messages replayed
    std::uint64_t records() const { return records_; } // records replayed
    // The last message each vCPU's handler got and the reply, as recorded (for --until).
    struct Last_message {
        std::uint64_t index{0};
        mword event{nova::Vm_exit::none};
        mword mtd_in{0}, mtd_out{0};
        std::unique_ptr<nova::Utcb_arch> in{std::make_unique<nova::Utcb_arch>()};
        std::unique_ptr<nova::Utcb_arch> out{std::make_unique<nova::Utcb_arch>()};
    };
    std::vector<Last_message> const& last_messages() const { return last_; }

  private:
    struct Vcpu_replay {
        std::uint32_t index;
    };
    Record const* peek();
    void consume();
    Record const* expect(Record::Type type, nova::Ec const& ec, char const* doing);
    void diverge(Divergence d);
    void stop(std::string const& why);
    void dispatched(sim::Event const& e);
    std::optional<std::uint32_t> index_of(nova::Ec const& ec) const;
    void compare_reply(Record const& r, mword mtd, nova::Utcb_arch const& from);

    sim::Machine& machine_;
    Reader& reader_;
    Replay_limits limits_;
    std::optional<Record> next_;
    bool peeked_{false};
    std::unordered_map<nova::Ec const*, Vcpu_replay> vcpus_;
    std::vector<Last_message> last_;
    std::unordered_map<std::uint32_t, std::uint64_t> polls_; // console polls by VM
    std::optional<Divergence> divergence_;
    bool stopped_{false};
    bool reached_end_{false};
    bool reached_until_{false};
    std::uint64_t events_{0};
    std::uint64_t records_{0};
};

// For sim::Machine_config::vcpu_backend; `made` learns the Replayer.
sim::Vcpu_backend_factory replaying(Reader& reader, Replay_limits const& limits, Replayer** made);

} // namespace kvm::trace
