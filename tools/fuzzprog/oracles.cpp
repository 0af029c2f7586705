#include "oracles.hpp"

#include "nova/kernel.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace fuzzprog {

namespace {

using novamodel::Object_id;
using novamodel::Outcome;

nova::Utcb& utcb_of(nova::Ec& ec)
{
    return *static_cast<nova::Utcb*>(ec.utcb);
}

novamodel::Hypercall_args arguments(nova::Sys_regs const& frame)
{
    return {frame.number(), frame.flags(), frame.sel(), frame.rsi, frame.rdx, frame.rax, frame.r8};
}

} // namespace

novamodel::Lockstep_config lockstep_config(std::uint32_t cpus, bool vmx)
{
    return {.cpus = cpus,
            .sel_bits = 26,
            .vmx = vmx,
            .ram_bytes = 64ull << 20,
            .kernel_bytes = 16ull << 20,
            .check_kernel = false};
}

Oracles::Oracles(novamodel::Lockstep_config const& config)
    : runner_{std::make_unique<novamodel::Lockstep_runner>(config)}
{
}

void Oracles::turn_off(std::string reason)
{
    if (!model_on_) return;
    model_on_ = false;
    note_ = std::move(reason);
    pending_.clear();
}

std::optional<Object_id> Oracles::model_pd(nova::Ec const& ec)
{
    auto pd = runner_->model_id(ec.pd);
    if (!pd) turn_off("an EC of a PD the model has not seen runs");
    return pd;
}

// The model's half of `op`, or nothing when it refuses the operation (it turns off then).
Oracles::Prediction Oracles::predict(novamodel::Operation const& op)
{
    try {
        return runner_->model_step(op);
    } catch (std::invalid_argument const& refusal) {
        turn_off(refusal.what());
        return std::nullopt;
    }
}

Verdict Oracles::hypercall(sim::Env& env, nova::Sys_regs& frame)
{
    nova::Hypercall number = frame.number();
    Prediction model;
    if (model_on_) {
        apply_replies();
        model = predict_hypercall(env.ec(), frame);
        check_items_seen(env.ec(), frame);
    }
    try {
        env.syscall(frame);
    } catch (sim::Ec_killed const&) {
        verdict_ = after_hypercall(number, frame, model);
        throw;
    }
    return after_hypercall(number, frame, model);
}

// A killed EC whose hypercall was already on its way into the kernel must change nothing: the
// model predicts no operation for it (the state comparison then holds the kernel to that).
Oracles::Prediction Oracles::predict_hypercall(nova::Ec& ec, nova::Sys_regs const& frame)
{
    if (ec.dead) return std::nullopt;
    std::optional<Object_id> pd = model_pd(ec);
    if (!pd) return std::nullopt;
    std::vector<Object_id> held = runner_->held_by_execution();
    Prediction outcome = predict(novamodel::Hypercall_op{arguments(frame), *pd});
    check_held(held);
    return outcome;
}

// The model does not count the references of calls in progress and of blocked ECs, so it
// cannot follow an object that loses its last capability while one of them still holds it.
void Oracles::check_held(std::vector<Object_id> const& held)
{
    for (Object_id id : held) {
        if (model_on_ && !runner_->model().alive(id)) {
            turn_off(fmt::format("object #{} lost its last capability while a call or a blocked "
                                 "semaphore down still holds it (the model does not count "
                                 "execution references)",
                                 id));
        }
    }
}

void Oracles::check_items_seen(nova::Ec& caller, nova::Sys_regs const& frame)
{
    if (frame.number() != nova::Hypercall::call || caller.dead || caller.utcb == nullptr) return;
    nova::Mdb_node const* node = caller.pd->obj.lookup(frame.sel());
    if (node == nullptr || utcb_of(caller).typed() == 0) return;
    auto* pt = nova::object_cast<nova::Pt>(reinterpret_cast<nova::Kobject*>(node->resource()));
    if (pt != nullptr && !handler_ips_.contains(pt->ip)) {
        turn_off(fmt::format("a call carries typed items to a portal whose IP ({:#x}) names no "
                             "handler, so nobody sees them arrive",
                             pt->ip));
    }
}

Verdict Oracles::after_hypercall(nova::Hypercall number, nova::Sys_regs const& frame,
                                 Prediction const& model)
{
    nova::Crd crd = number == nova::Hypercall::lookup ? nova::Crd{frame.rsi} : nova::Crd{};
    return judge(Outcome{frame.status(), crd}, model);
}

// The invariant checker, then the model (while it follows): its prediction, or for a killed EC
// no change at all, against the kernel's outcome and state.
Verdict Oracles::judge(Outcome const& kernel, Prediction const& model)
{
    if (kernel.status == nova::Status::oom) turn_off("the kernel ran out of memory");
    if (Verdict broken = check_invariants(); !broken.ok() || !model_on_) return broken;
    apply_replies();
    return model_verdict(runner_->compare(kernel, model.value_or(kernel)));
}

// The state alone, after `difference` (in what the model followed already).
Verdict Oracles::judge_state(std::string difference)
{
    if (Verdict broken = check_invariants(); !broken.ok() || !model_on_) return broken;
    return model_verdict(difference + runner_->compare_state());
}

// A kernel that broke an invariant is not walked for the model's comparison.
Verdict Oracles::check_invariants()
{
    nova::Check_result check = runner_->kernel().check();
    if (check.ok()) return {};
    return {hcl::Oracle::invariant, fmt::format("kernel invariant broken: {} (detail {:#x})",
                                                check.invariant, check.detail)};
}

Verdict Oracles::model_verdict(std::string const& difference) const
{
    if (!model_on_ || difference.empty()) return {};
    return {hcl::Oracle::model, "the reference model differs: " + difference};
}

std::optional<Object_id> Oracles::pd_named(std::uint64_t selector) const
{
    novamodel::Capability_model const& model = runner_->model();
    auto const* mapping = model.space(model.root_pd(), nova::Crd::Type::obj).find(selector);
    if (mapping == nullptr) return std::nullopt;
    auto id = static_cast<Object_id>(mapping->resource);
    if (!model.is_pd(id)) return std::nullopt;
    return id;
}

// The model's operation for a kernel function; nothing when a selector names no PD (the tool's
// own BAD_CAP, before any kernel is called).
std::optional<novamodel::Operation> Oracles::function_operation(hcl::Call const& call) const
{
    auto src = pd_named(hcl::operand_value(call, "src"));
    auto dst = pd_named(hcl::operand_value(call, "dst"));
    if (!src || !dst) return std::nullopt;
    nova::Crd window{hcl::operand_value(call, "window")};
    if (call.form->function == hcl::Kernel_function::translate) {
        return novamodel::Translate_op{*src, *dst, nova::Crd{hcl::operand_value(call, "crd")},
                                       window};
    }
    novamodel::Delegate_item item{nova::Crd{hcl::operand_value(call, "send")},
                                  window,
                                  hcl::operand_value(call, "hotspot"),
                                  hcl::flag_set(call, "dma"),
                                  hcl::flag_set(call, "guest"),
                                  hcl::flag_set(call, "kernel")};
    return novamodel::Delegate_op{*src, *dst, item};
}

Verdict Oracles::kernel_function(hcl::Call const& call, hcl::Hypercall_target& target,
                                 hcl::Outcome& outcome)
{
    Prediction model;
    if (model_on_) {
        apply_replies();
        auto op = function_operation(call);
        model = op ? predict(*op) : Outcome{nova::Status::bad_cap};
    }
    outcome = hcl::execute_call(call, target);
    bool returned = outcome.status == nova::Status::success;
    return judge(Outcome{outcome.status, returned ? nova::Crd{*outcome.outputs[0]} : nova::Crd{}},
                 model);
}

// The kernel has transferred the caller's message into the handler's UTCB just now: the model
// follows its items, and the CRDs the kernel wrote back into the items must be the model's.
Verdict Oracles::handler_started(nova::Ec& handler)
{
    if (!model_on_) return {};
    apply_replies();
    nova::Ec* caller = handler.caller;
    if (caller == nullptr || caller->in_event) return {}; // an event brings state, no items
    auto from = model_pd(*caller), to = model_pd(handler);
    if (!from || !to) return {};
    Ipc_transfer transfer = message_items(utcb_of(*caller), utcb_of(handler));
    return judge_state(follow_items(transfer, *from, *to, utcb_of(handler)));
}

std::string Oracles::follow_items(Ipc_transfer const& transfer, Object_id from, Object_id to,
                                  nova::Utcb& received)
{
    std::string difference;
    if (received.typed() != transfer.items.size()) {
        difference = fmt::format("typed items received: kernel {}, model {}\n", received.typed(),
                                 transfer.items.size());
    }
    std::vector<novamodel::Operation> operations = item_operations(transfer, from, to);
    for (std::size_t i = 0; i < operations.size(); ++i) {
        Prediction model = predict(operations[i]);
        if (!model_on_) return {};
        Outcome kernel{nova::Status::success, nova::Crd{received.item_crd(i)}};
        if (!novamodel::agrees(kernel, *model)) {
            difference += fmt::format("typed item {}: kernel {} | model {}\n", i,
                                      novamodel::describe(kernel), novamodel::describe(*model));
        }
    }
    return difference;
}

// The handler's message goes back when the kernel makes the reply, which is the next thing the
// user land does; the model follows it at the first step after that (apply_replies).
void Oracles::handler_finished(nova::Ec& handler)
{
    nova::Ec* caller = handler.caller;
    if (!model_on_ || caller == nullptr) return;
    if (caller->orphaned) return turn_off("a handler replies to a caller the kernel has killed");
    auto from = model_pd(handler), to = model_pd(*caller);
    if (!from || !to) return;
    Ipc_transfer transfer = caller->in_event ? event_reply_items(utcb_of(handler))
                                             : message_items(utcb_of(handler), utcb_of(*caller));
    if (transfer.items.empty()) return;
    pending_.push_back({&handler, caller, *from, *to, std::move(transfer)});
}

// A reply is made when its handler no longer serves that caller. Between the kernel's reply and
// the runner's next step no other capability operation runs, so following it here is in order.
void Oracles::apply_replies()
{
    std::vector<Pending_reply> made;
    std::erase_if(pending_, [&made](Pending_reply const& reply) {
        if (reply.handler->caller == reply.caller) return false;
        made.push_back(reply);
        return true;
    });
    for (Pending_reply const& reply : made) {
        for (novamodel::Operation const& op :
             item_operations(reply.transfer, reply.from, reply.to)) {
            if (!predict(op)) return;
        }
    }
}

Verdict Oracles::catch_up()
{
    if (model_on_) apply_replies();
    return judge_state({});
}

} // namespace fuzzprog
