#include "kvm/trace/replayer.hpp"

#include "kvm/trace/fields.hpp"
#include "kvm/trace/scan.hpp"
#include "nova/ec.hpp"
#include "nova/vmx.hpp"

#include <fmt/format.h>

namespace kvm::trace {

using Type = Record::Type;

namespace {

std::string event_words(mword e)
{
    char const* name = nova::vmx::event_name(e);
    return e == nova::Vm_exit::none ? "none" : fmt::format("{:#x} {}", e, name ? name : "?");
}

} // namespace

std::string describe(Divergence const& d)
{
    std::string out = fmt::format("replay diverged at event #{} (vCPU {}", d.event_index, d.vcpu);
    if (d.event != nova::Vm_exit::none) out += ", " + event_words(d.event);
    out += fmt::format("), trace byte {}: {}\n", d.offset, d.what);
    if (d.fields.empty()) return out;
    out += fmt::format("  {:<20} {:>20} {:>20}\n", "field", "recorded", "replayed");
    for (Field_diff const& f : d.fields)
        out += fmt::format("  {:<20} {:>#20x} {:>#20x}\n", f.field, f.recorded, f.replayed);
    return out;
}

Replayer::Replayer(sim::Machine& machine, Reader& reader, Replay_limits const& limits)
    : machine_{machine}, reader_{reader}, limits_{limits}
{
    machine_.log().observe([this](sim::Event const& e) {
        if (e.kind == sim::Event::Kind::dispatch) dispatched(e);
    });
}

Replayer::~Replayer()
{
    machine_.log().observe({});
}

Record const* Replayer::peek()
{
    if (!peeked_) {
        try {
            next_ = reader_.next();
        } catch (Format_error const& e) {
            next_.reset();
            diverge(Divergence{events_, e.offset, 0, nova::Vm_exit::none, e.what(), {}});
        }
        peeked_ = true;
    }
    return next_ ? &*next_ : nullptr;
}

void Replayer::consume()
{
    peeked_ = false;
    ++records_;
}

void Replayer::stop(std::string const& why)
{
    stopped_ = true;
    machine_.engine().request_stop(sim::Stop::requested, why);
}

void Replayer::diverge(Divergence d)
{
    if (stopped_) return;
    divergence_ = std::move(d);
    stop("replay diverged");
}

std::optional<std::uint32_t> Replayer::index_of(nova::Ec const& ec) const
{
    auto it = vcpus_.find(&ec);
    if (it == vcpus_.end()) return std::nullopt;
    return it->second.index;
}

// The next record, if it is what the VMM's kernel asks for now; else the replay diverges.
Record const* Replayer::expect(Type type, nova::Ec const& ec, char const* doing)
{
    if (stopped_) return nullptr;
    if (limits_.until && events_ > *limits_.until && type != Type::store) {
        reached_until_ = true;
        stop(fmt::format("stopped after event #{} (--until)", *limits_.until));
        return nullptr;
    }
    Record const* r = peek();
    if (stopped_) return nullptr;
    if (r == nullptr || r->type == Type::end) {
        reached_end_ = true;
        stop("the trace ends here");
        return nullptr;
    }
    std::optional<std::uint32_t> index = index_of(ec);
    bool vcpu_record = r->type != Type::dispatch && r->type != Type::input;
    if (r->type == type &&
        (type == Type::vcpu_create || (index && vcpu_record && r->vcpu == *index)))
        return r;
    diverge(Divergence{events_,
                       r->offset,
                       index.value_or(0),
                       nova::Vm_exit::none,
                       fmt::format("the VMM's kernel {} vCPU {}, but the trace has: {}", doing,
                                   index ? fmt::format("{}", *index) : "?", describe(*r)),
                       {}});
    return nullptr;
}

bool Replayer::create(nova::Ec& ec)
{
    Record const* r = expect(Type::vcpu_create, ec, "created");
    if (r == nullptr) return true;
    std::uint64_t id = machine_.log().id_of(&ec);
    if (r->vcpu != last_.size() || r->cpu != ec.cpu || r->ec != id) {
        diverge(
            Divergence{events_,
                       r->offset,
                       r->vcpu,
                       nova::Vm_exit::none,
                       fmt::format("the VMM created vCPU {} on CPU {} as EC {}, the trace has: {}",
                                   last_.size(), ec.cpu, id, describe(*r)),
                       {}});
        return true;
    }
    vcpus_[&ec] = Vcpu_replay{r->vcpu};
    last_.emplace_back();
    consume();
    return true;
}

void Replayer::destroy(nova::Ec& ec)
{
    if (expect(Type::vcpu_destroy, ec, "destroyed") != nullptr) consume();
    vcpus_.erase(&ec);
}

nova::Vm_exit Replayer::run(nova::Ec& ec)
{
    Record const* r = expect(Type::run, ec, "entered the guest of");
    if (r == nullptr) return nova::Vm_exit{};
    std::uint64_t now = machine_.engine().tsc(ec.cpu);
    if (r->tsc != now) {
        diverge(Divergence{events_,
                           r->offset,
                           r->vcpu,
                           nova::Vm_exit::none,
                           fmt::format("the guest is entered at TSC {}, recorded at {}: the "
                                       "schedule differs",
                                       now, r->tsc),
                           {}});
        return nova::Vm_exit{};
    }
    nova::Vm_exit exit{r->event, {r->qual[0], r->qual[1]}, r->optional};
    machine_.engine().charge(ec.cpu, r->cycles);
    consume();
    return exit;
}

void Replayer::load(nova::Ec& ec, mword mtd, nova::Utcb_arch& to)
{
    Record const* r = expect(Type::load, ec, "delivered a message of");
    if (r == nullptr) return;
    mword asked = mtd & all_groups();
    if (r->event != to.exit_reason || r->mtd != asked) {
        diverge(Divergence{events_,
                           r->offset,
                           r->vcpu,
                           to.exit_reason,
                           fmt::format("the portal asks for {} of event {}, the trace recorded {} "
                                       "of event {}",
                                       mtd_names(asked), event_words(to.exit_reason),
                                       mtd_names(r->mtd), event_words(r->event)),
                           {}});
        return;
    }
    Last_message& last = last_[r->vcpu];
    for_each_field(asked, [&](Field const& f) {
        std::uint64_t v = get(*r->state, f);
        set(to, f, v), set(*last.in, f, v); // last.in: only what the MTD names is shown
    });
    last.index = events_++, last.event = r->event, last.mtd_in = r->mtd;
    consume();
}

void Replayer::compare_reply(Record const& r, mword mtd, nova::Utcb_arch const& from)
{
    std::vector<Field_diff> diffs;
    if (mtd != r.mtd) diffs.push_back(Field_diff{"mtd", r.mtd, mtd});
    for_each_field(mtd & r.mtd, [&](Field const& f) {
        std::uint64_t recorded = get(*r.state, f), replayed = get(from, f);
        if (recorded != replayed) diffs.push_back(Field_diff{f.name, recorded, replayed});
    });
    if (diffs.empty()) return;
    std::string what = fmt::format("the reply differs (recorded MTD {}, replayed MTD {})",
                                   mtd_names(r.mtd), mtd_names(mtd));
    diverge(Divergence{events_ - 1, r.offset, r.vcpu, r.event, what, std::move(diffs)});
}

void Replayer::store(nova::Ec& ec, mword mtd, nova::Utcb_arch const& from)
{
    Record const* r = expect(Type::store, ec, "stored the reply for");
    if (r == nullptr) return;
    compare_reply(*r, mtd & all_groups(), from);
    Last_message& last = last_[r->vcpu];
    for_each_field(r->mtd, [&](Field const& f) { set(*last.out, f, get(*r->state, f)); });
    last.mtd_out = r->mtd;
    consume();
}

void Replayer::dispatched(sim::Event const& e)
{
    if (stopped_) return;
    Record const* r = peek();
    if (r == nullptr || r->type == Type::end) return; // the run ends at its next stop point
    if (r->type == Type::dispatch && r->cpu == e.cpu && r->tsc == e.time && r->ec == e.a) {
        consume();
        return;
    }
    diverge(Divergence{events_,
                       r->offset,
                       0,
                       nova::Vm_exit::none,
                       fmt::format("CPU {} dispatched EC {} at TSC {}, but the trace has: {}",
                                   e.cpu, e.a, e.time, describe(*r)),
                       {}});
}

std::optional<std::uint8_t> Replayer::input(std::uint32_t vm)
{
    std::uint64_t call = ++polls_[vm];
    if (stopped_) return std::nullopt;
    Record const* r = peek();
    if (r == nullptr || r->type != Type::input || r->vm != vm || r->call != call)
        return std::nullopt;
    if (r->bytes.size() != 1) return std::nullopt;
    std::uint8_t byte = r->bytes[0];
    consume();
    return byte;
}

bool Replayer::finished()
{
    bool diverged = divergence_.has_value();
    Record const* r = peek();
    return !diverged && !divergence_ && (r == nullptr || r->type == Type::end);
}

sim::Vcpu_backend_factory replaying(Reader& reader, Replay_limits const& limits, Replayer** made)
{
    return [&reader, limits, made](sim::Machine& machine) -> std::unique_ptr<sim::Vcpu_backend> {
        auto replayer = std::make_unique<Replayer>(machine, reader, limits);
        if (made != nullptr) *made = replayer.get();
        return replayer;
    };
}

} // namespace kvm::trace
