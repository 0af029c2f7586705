#include "kvm/trace/recorder.hpp"

#include "kvm/trace/fields.hpp"
#include "nova/ec.hpp"

namespace kvm::trace {

using Type = Record::Type;

Recorder::Recorder(sim::Machine& machine, std::unique_ptr<sim::Vcpu_backend> inner, Writer& writer)
    : machine_{machine}, inner_{std::move(inner)}, writer_{writer}
{
    machine_.log().observe([this](sim::Event const& e) {
        if (e.kind != sim::Event::Kind::dispatch || ended_) return;
        Record r{.type = Type::dispatch, .cpu = e.cpu, .tsc = e.time};
        r.ec = e.a;
        write(r);
    });
}

Recorder::~Recorder()
{
    machine_.log().observe({});
}

Recorder::Vcpu_record* Recorder::find(nova::Ec const& ec)
{
    auto it = vcpus_.find(&ec);
    return it == vcpus_.end() ? nullptr : &it->second;
}

bool Recorder::create(nova::Ec& vcpu)
{
    if (!inner_->create(vcpu)) return false;
    Record r{.type = Type::vcpu_create, .vcpu = created_, .cpu = vcpu.cpu};
    r.ec = machine_.log().id_of(&vcpu);
    write(r);
    vcpus_[&vcpu] = Vcpu_record{created_++, nova::Vm_exit::none};
    return true;
}

void Recorder::destroy(nova::Ec& vcpu)
{
    if (Vcpu_record* v = find(vcpu)) {
        write(Record{.type = Type::vcpu_destroy, .vcpu = v->index});
        vcpus_.erase(&vcpu);
    }
    inner_->destroy(vcpu);
}

// The stretch's cost is what the inner backend charged the CPU: in a real-time run that is a
// host time reading, the one input of a stretch that does not follow from the messages.
nova::Vm_exit Recorder::run(nova::Ec& vcpu)
{
    std::uint64_t before = machine_.engine().tsc(vcpu.cpu);
    nova::Vm_exit exit = inner_->run(vcpu);
    Vcpu_record* v = find(vcpu);
    if (v == nullptr) return exit;
    Record r{
        .type = Type::run, .vcpu = v->index, .cpu = vcpu.cpu, .tsc = before, .event = exit.event};
    r.qual[0] = exit.qual[0], r.qual[1] = exit.qual[1], r.optional = exit.optional;
    r.cycles = machine_.engine().tsc(vcpu.cpu) - before;
    write(r);
    return exit;
}

void Recorder::load(nova::Ec& vcpu, mword mtd, nova::Utcb_arch& to)
{
    inner_->load(vcpu, mtd, to);
    Vcpu_record* v = find(vcpu);
    if (v == nullptr) return;
    v->message = to.exit_reason;
    Record r{.type = Type::load, .vcpu = v->index, .event = to.exit_reason};
    r.mtd = mtd & all_groups(), r.state = &to;
    write(r);
}

void Recorder::store(nova::Ec& vcpu, mword mtd, nova::Utcb_arch const& from)
{
    if (Vcpu_record* v = find(vcpu)) {
        Record r{.type = Type::store, .vcpu = v->index, .event = v->message};
        r.mtd = mtd & all_groups(), r.state = &from;
        write(r);
        v->message = nova::Vm_exit::none;
    }
    inner_->store(vcpu, mtd, from);
}

void Recorder::guest_view_changed(nova::Pd& pd, mword first, mword count)
{
    inner_->guest_view_changed(pd, first, count);
}

void Recorder::write(Record const& r)
{
    if (!ended_) writer_.write(r);
}

void Recorder::input(std::uint32_t vm, std::uint64_t call, std::uint8_t byte)
{
    Record r{.type = Type::input};
    r.vm = vm, r.call = call, r.bytes = {byte};
    write(r);
}

void Recorder::end(std::string const& how)
{
    Record r{.type = Type::end};
    r.bytes.assign(how.begin(), how.end());
    write(r);
    writer_.flush();
    ended_ = true; // what the machine does as it is torn down is not part of the run
}

sim::Vcpu_backend_factory recording(sim::Vcpu_backend_factory inner, Writer& writer,
                                    Recorder** made)
{
    return [inner = std::move(inner), &writer,
            made](sim::Machine& machine) -> std::unique_ptr<sim::Vcpu_backend> {
        std::unique_ptr<sim::Vcpu_backend> backend = inner(machine);
        if (!backend) return nullptr;
        auto recorder = std::make_unique<Recorder>(machine, std::move(backend), writer);
        if (made != nullptr) *made = recorder.get();
        return recorder;
    };
}

} // namespace kvm::trace
