#include "lockstep_runner.hpp"

#include "state_compare.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace novamodel {

sim::Machine_config machine_config_for(Lockstep_config const& config)
{
    sim::Machine_config machine;
    machine.cpus = config.cpus;
    machine.sel_bits = config.sel_bits;
    machine.gsis = config.gsis;
    machine.vmx = config.vmx;
    machine.ram_bytes = config.ram_bytes;
    machine.kernel_bytes = config.kernel_bytes;
    return machine;
}

Model_config model_config_for(Lockstep_config const& config)
{
    mword user_frames = (config.ram_bytes - config.kernel_bytes) >> nova::page_bits;
    return Model_config{config.cpus, config.sel_bits, config.vmx, user_frames, config.gsis};
}

namespace {

// A booted model, copied from the last one booted with the same configuration on this thread:
// booting is deterministic, and a copy costs half a boot (the fuzzer boots one per program).
Capability_model booted_model(Model_config const& config)
{
    thread_local std::optional<Capability_model> last;
    if (!last || !(last->config() == config)) last.emplace(config);
    return *last;
}

} // namespace

Lockstep_runner::Lockstep_runner(Lockstep_config const& config)
    : config_{config}, machine_{machine_config_for(config)}, model_{booted_model(
                                                                 model_config_for(config))}
{
    if (machine_.boot_status() != Status::success) {
        boot_difference_ = std::string{"kernel boot: "} + nova::status_name(machine_.boot_status());
        return;
    }
    binding_.bind(model_.kernel_pd(), &kernel().kernel_pd());
    binding_.bind(model_.root_pd(), &kernel().root_pd());
    boot_difference_ = compare_state();
}

// The model goes first: an operation that would destroy the root EC (the caller of every
// hypercall) or the root SC (the time it runs on) is refused before the kernel frees what the
// simulator still needs.
Step_result Lockstep_runner::step(Operation const& op)
{
    if (auto const* call = std::get_if<Hypercall_op>(&op); call != nullptr && call->pd) {
        throw std::invalid_argument("the runner makes hypercalls as the root only: " +
                                    describe(op));
    }
    Step_result result;
    result.model = model_step(op);
    result.kernel = run_on_kernel(op);
    result.difference = compare(result.kernel, result.model);
    return result;
}

Outcome Lockstep_runner::model_step(Operation const& op)
{
    check_names_live_pds(op);
    Outcome outcome = apply(model_, op);
    if (!model_.alive(model_.root_ec()) || !model_.alive(model_.root_sc())) {
        throw std::invalid_argument("operation would stop the root EC: " + describe(op));
    }
    return outcome;
}

std::string Lockstep_runner::compare(Outcome const& kernel, Outcome const& model)
{
    return compare_outcome(kernel, model) + compare_state();
}

std::string Lockstep_runner::compare_outcome(Outcome const& kernel, Outcome const& model)
{
    if (agrees(kernel, model)) return {};
    return "outcome: kernel " + describe(kernel) + " | model " + describe(model) + "\n";
}

// One pass over the bound ECs: the fuzzer asks before every operation it follows.
std::vector<Object_id> Lockstep_runner::held_by_execution() const
{
    std::vector<Object_id> held;
    auto hold = [this, &held](nova::Kobject const* object) {
        if (auto id = binding_.model_id(object)) held.push_back(*id);
    };
    for (auto const& [id, ec] : binding_.bound_ecs()) {
        if (ec->partner != nullptr) {
            held.push_back(id); // a caller
            hold(ec->partner);
        }
        if (ec->waiting_on != nullptr) hold(ec->waiting_on);
    }
    std::sort(held.begin(), held.end());
    held.erase(std::unique(held.begin(), held.end()), held.end());
    return held;
}

void Lockstep_runner::check_names_live_pds(Operation const& op) const
{
    for (Object_id pd : pds_named_by(op)) {
        if (!model_.is_pd(pd) || binding_.kernel_object(pd) == nullptr) {
            throw std::invalid_argument("operation names pd" + std::to_string(pd) +
                                        ", which is not a live PD: " + describe(op));
        }
    }
}

// The kernel's own checker first: a kernel that broke an invariant must not be walked.
std::string Lockstep_runner::compare_state()
{
    nova::Check_result check = config_.check_kernel ? kernel().check() : nova::Check_result{};
    if (!check.ok()) {
        // `where` is an object or a mapping node; the binding only compares the address.
        auto object = binding_.model_id(static_cast<nova::Kobject const*>(check.where));
        std::string at;
        if (object && model_.alive(*object)) {
            at = ", at model object #" + std::to_string(*object) + " " +
                 describe(model_.objects().at(*object).type);
        }
        agreement_.forget();
        return std::string{"kernel invariant broken: "} + check.invariant + " (detail " +
               hex(check.detail) + at + ")\n";
    }
    if (!config_.incremental) agreement_.forget();
    return novamodel::compare_state(kernel(), model_, binding_, agreement_);
}

nova::Pd& Lockstep_runner::kernel_pd(Object_id pd) const
{
    return *nova::object_cast<nova::Pd>(binding_.kernel_object(pd));
}

Outcome Lockstep_runner::run_on_kernel(Operation const& op)
{
    return std::visit([this](auto const& one) { return run_on_kernel(one); }, op);
}

Outcome Lockstep_runner::run_on_kernel(Hypercall_op const& op)
{
    Hypercall_args const& a = op.args;
    nova::Sys_regs regs{};
    regs.rdi = nova::Sys_regs::word(a.call, a.flags, a.sel);
    regs.rsi = a.rsi;
    regs.rdx = a.rdx;
    regs.rax = a.rax;
    regs.r8 = a.r8;
    Status status = machine_.hypercall_as_root(regs);
    bool returns_crd = a.call == nova::Hypercall::lookup;
    return Outcome{status, returns_crd ? Crd{regs.rsi} : Crd{}};
}

Outcome Lockstep_runner::run_on_kernel(Delegate_op const& op)
{
    Delegate_item const& d = op.item;
    nova::Delegation item{d.send, d.window, d.hotspot, d.dma, d.guest, d.from_kernel};
    Status status = Status::success;
    Crd got = kernel().delegate(kernel_pd(op.src), kernel_pd(op.dst), item, &status);
    return Outcome{status, got};
}

Outcome Lockstep_runner::run_on_kernel(Revoke_op const& op)
{
    kernel().revoke(kernel_pd(op.pd), op.crd, op.self);
    return Outcome{};
}

Outcome Lockstep_runner::run_on_kernel(Lookup_op const& op)
{
    return Outcome{Status::success, kernel().lookup(kernel_pd(op.pd), op.crd)};
}

Outcome Lockstep_runner::run_on_kernel(Translate_op const& op)
{
    Crd got = kernel().translate(kernel_pd(op.src), kernel_pd(op.dst), op.crd, op.window);
    return Outcome{Status::success, got};
}

} // namespace novamodel
