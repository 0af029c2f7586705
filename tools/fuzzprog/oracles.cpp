#include "oracles.hpp"

#include "nova/kernel.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace fuzzprog {

namespace {

using novamodel::Object_id;
using novamodel::Operation;
using novamodel::Outcome;

nova::Utcb& utcb_of(nova::Ec& ec)
{
    return *static_cast<nova::Utcb*>(ec.utcb);
}

novamodel::Hypercall_args arguments(nova::Sys_regs const& frame)
{
    return {frame.number(), frame.flags(), frame.sel(), frame.rsi, frame.rdx, frame.rax, frame.r8};
}

// Whether a step changes capabilities (and so the outcome of others).
bool step_writes(std::span<Operation const> operations)
{
    return std::ranges::any_of(operations, novamodel::writes);
}

// The outcome of `op` by `apply`, or nothing when the model refuses it (or one of its PDs is
// gone there); a refused operation may have changed part of the model.
template <typename Model, typename Apply>
std::optional<Outcome> unless_refused(Model& model, Operation const& op, Apply apply)
{
    for (Object_id pd : novamodel::pds_named_by(op)) {
        if (!model.is_pd(pd)) return std::nullopt;
    }
    try {
        return apply(model, op);
    } catch (std::invalid_argument const&) {
        return std::nullopt;
    }
}

std::optional<Outcome> try_apply(novamodel::Capability_model& model, Operation const& op)
{
    return unless_refused(model, op, novamodel::apply);
}

// The same, leaving `model` as it is: only an operation that writes needs a copy.
std::optional<Outcome> outcome_on(novamodel::Capability_model const& model, Operation const& op)
{
    if (!novamodel::writes(op)) return unless_refused(model, op, novamodel::apply_reading);
    novamodel::Capability_model copy = model;
    return try_apply(copy, op);
}

} // namespace

// A PC with one I/O APIC (24 interrupt pins): the fewer objects every oracle walks after each
// call, the more programs per second; 24 semaphores exercise the GSI selectors as well as 128.
novamodel::Lockstep_config lockstep_config(std::uint32_t cpus, bool vmx)
{
    return {.cpus = cpus,
            .sel_bits = 26,
            .vmx = vmx,
            .gsis = 24,
            .ram_bytes = 64ull << 20,
            .kernel_bytes = 16ull << 20,
            .check_kernel = false};
}

Oracles::Oracles(novamodel::Lockstep_config const& config)
    : runner_{std::make_unique<novamodel::Lockstep_runner>(config)}
{
}

// In-flight hypercalls stay until their gate returns; only following stops.
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
std::optional<Outcome> Oracles::predict(Operation const& op)
{
    try {
        return runner_->model_step(op);
    } catch (std::invalid_argument const& refusal) {
        turn_off(refusal.what());
        return std::nullopt;
    }
}

Verdict Oracles::hypercall(sim::Env& env, nova::Sys_regs& frame, bool state)
{
    nova::Hypercall number = frame.number();
    In_flight* flight = begin(env.ec(), frame);
    try {
        env.syscall(frame);
    } catch (sim::Ec_killed const&) {
        verdict_ = finish(flight, number, frame, state);
        throw;
    }
    return finish(flight, number, frame, state);
}

// Before the kernel: the model catches up with what the kernel did meanwhile, and the frame
// gets the mark that tells when the kernel handles it.
Oracles::In_flight* Oracles::begin(nova::Ec& ec, nova::Sys_regs& frame)
{
    follow_kernel();
    if (!model_on_) return nullptr;
    std::optional<Object_id> pd = model_pd(ec);
    bool items = carries_items(ec, frame);
    if (items) check_items_seen(ec, frame.sel());
    if (!pd || !model_on_) return nullptr;
    frame.r15 = ++next_mark_;
    In_flight* flight = in_flight_.emplace_back(spare_flight()).get();
    *flight = In_flight{&ec,   frame.r15, novamodel::Hypercall_op{arguments(frame), *pd},
                        false, false,     std::nullopt,
                        items};
    return flight;
}

// A record of a hypercall that has returned, or a new one: a run makes thousands of hypercalls
// but has only a few in flight at once.
std::unique_ptr<Oracles::In_flight> Oracles::spare_flight()
{
    if (spare_flights_.empty()) return std::make_unique<In_flight>();
    std::unique_ptr<In_flight> flight = std::move(spare_flights_.back());
    spare_flights_.pop_back();
    return flight;
}

// The call has returned. If its mark never arrived, either the kernel refused the call of an
// EC that was dead by then (it must have changed nothing), or an event rewrote the EC's R15
// after the kernel handled it.
Verdict Oracles::finish(In_flight* flight, nova::Hypercall number, nova::Sys_regs const& frame,
                        bool state)
{
    follow_kernel();
    std::optional<Outcome> model;
    if (flight != nullptr && model_on_) {
        if (!flight->followed) {
            flight->died_before = flight->ec->dead;
            follow(Kernel_step{{}, flight});
        }
        model = flight->model;
        if (model && frame.status() == nova::Status::bad_cap && portal_gone(flight->call())) {
            model = Outcome{nova::Status::bad_cap};
        }
    }
    auto record =
        std::ranges::find_if(in_flight_, [flight](auto const& f) { return f.get() == flight; });
    if (record != in_flight_.end()) {
        spare_flights_.push_back(std::move(*record));
        in_flight_.erase(record);
    }
    nova::Crd crd = number == nova::Hypercall::lookup ? nova::Crd{frame.rsi} : nova::Crd{};
    return judge(Outcome{frame.status(), crd}, model, state);
}

// A call that found its callee busy helped it, and then looked its portal up again, as the
// helper in [C14] re-executes its hypercall: BAD_CAP is its outcome when the portal capability
// was revoked while it helped, which the model, following the kernel, knows by now.
bool Oracles::portal_gone(novamodel::Hypercall_op const& op) const
{
    if (op.args.call != nova::Hypercall::call || !op.pd) return false;
    if (!runner_->model().is_pd(*op.pd)) return true;
    auto id = object_named(*op.pd, op.args.sel);
    if (!id) return true;
    auto object = runner_->model().objects().find(*id);
    return object == runner_->model().objects().end() ||
           object->second.type != nova::Object_type::pt;
}

// The object a PD's capability at `selector` names in the model, if any.
std::optional<Object_id> Oracles::object_named(Object_id pd, std::uint64_t selector) const
{
    novamodel::Space const& space = runner_->model().space(pd, nova::Crd::Type::obj);
    auto const* mapping = space.find(space.wrap(selector)); // as the kernel's lookup wraps
    if (mapping == nullptr) return std::nullopt;
    return static_cast<Object_id>(mapping->resource);
}

// What the kernel did since the last step of the runner (into steps_, whose storage serves
// every step): the hypercalls whose mark arrived, the replies it made.
void Oracles::collect_kernel_steps()
{
    steps_.clear();
    for (auto const& flight : in_flight_) {
        if (flight->followed) continue;
        if (flight->ec->regs.r15 == flight->mark) {
            steps_.push_back({{}, flight.get()});
        } else if (flight->ec->dead) {
            flight->died_before = true;
        }
    }
    bool caller_killed = false;
    std::erase_if(pending_, [this, &caller_killed](Pending_reply const& reply) {
        if (!reply.replied()) return false;
        caller_killed |= reply.caller->dead;
        steps_.push_back({item_operations(reply.transfer, reply.from, reply.to), nullptr});
        return true;
    });
    // Only after the walk: turning off empties pending_.
    if (caller_killed) {
        turn_off("the kernel killed a caller while its handler replied, and the model cannot "
                 "tell whether before the reply or after it");
    }
}

// Steps of several CPUs between two steps of the runner came in an order the model cannot see.
// That order does not matter when none changes capabilities, or one does and the others'
// outcomes are the same before and after it.
bool Oracles::order_matters(std::vector<Kernel_step> const& steps) const
{
    auto writer =
        std::ranges::find_if(steps, [](auto const& s) { return step_writes(s.operations()); });
    if (writer == steps.end()) return false;
    auto writers =
        std::ranges::count_if(steps, [](auto const& s) { return step_writes(s.operations()); });
    if (writers > 1) return true;
    novamodel::Capability_model const& before = runner_->model();
    novamodel::Capability_model after = before;
    for (Operation const& op : writer->operations()) {
        if (!try_apply(after, op)) return true;
    }
    for (Kernel_step const& step : steps) {
        if (&step == &*writer) continue;
        for (Operation const& op : step.operations()) {
            if (outcome_on(before, op) != outcome_on(after, op)) return true;
        }
    }
    return false;
}

// The steps that change capabilities first, each group in the kernel's order.
void Oracles::follow_kernel()
{
    if (!model_on_) return;
    collect_kernel_steps();
    if (steps_.size() > 1 && order_matters(steps_)) {
        return turn_off(fmt::format("{} operations of different CPUs reached the kernel between "
                                    "two steps of the runner, in an order the model cannot see",
                                    steps_.size()));
    }
    for (bool writers : {true, false}) {
        for (Kernel_step const& step : steps_) {
            if (step_writes(step.operations()) != writers) continue;
            if (!model_on_) return;
            follow(step);
        }
    }
}

// A killed EC runs no more hypercalls: one that was dead before the kernel took its call
// (seen dead at a step of the runner while its mark had not arrived) must change nothing. One
// killed after the kernel took the call (the mark arrived first) had it handled in full.
void Oracles::follow(Kernel_step const& step)
{
    In_flight* flight = step.hypercall;
    if (flight != nullptr && flight->died_before) {
        flight->followed = true;
        return;
    }
    // A call's portal is looked at again once the kernel has taken the call: on several CPUs
    // another one may have made it after the gate.
    if (flight != nullptr && flight->carries_items) {
        check_items_seen(*flight->ec, flight->call().args.sel);
        if (!model_on_) return;
    }
    std::vector<Object_id> held = runner_->held_by_execution();
    std::optional<Outcome> outcome;
    for (Operation const& op : step.operations()) {
        outcome = predict(op);
        if (!outcome) return;
    }
    check_held(held);
    if (flight == nullptr) return;
    flight->followed = true;
    flight->model = outcome;
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

bool Oracles::carries_items(nova::Ec& caller, nova::Sys_regs const& frame)
{
    return frame.number() == nova::Hypercall::call && caller.utcb != nullptr &&
           utcb_of(caller).typed() != 0;
}

// Typed items to a portal of no runner handler: nobody would see them arrive.
void Oracles::check_items_seen(nova::Ec& caller, nova::mword portal)
{
    if (caller.orphaned) return; // an orphan has let go of its PD
    nova::Mdb_node const* node = caller.pd->obj.lookup(portal);
    if (node == nullptr) return;
    auto* pt = nova::object_cast<nova::Pt>(reinterpret_cast<nova::Kobject*>(node->resource()));
    if (pt != nullptr && !handler_ips_.contains(pt->ip)) {
        turn_off(fmt::format("a call carries typed items to a portal whose IP ({:#x}) names no "
                             "handler, so nobody sees them arrive",
                             pt->ip));
    }
}

// The invariant checker, then the model (while it follows): its outcome, or for a call of an EC
// that was already dead no change at all, against the kernel's outcome and state.
Verdict Oracles::judge(Outcome const& kernel, std::optional<Outcome> const& model, bool state)
{
    if (kernel.status == nova::Status::oom) turn_off("the kernel ran out of memory");
    if (!state) {
        if (!model_on_) return {};
        return model_verdict(runner_->compare_outcome(kernel, model.value_or(kernel)));
    }
    if (Verdict broken = check_invariants(); !broken.ok() || !model_on_) return broken;
    return model_verdict(runner_->compare(kernel, model.value_or(kernel)));
}

// The state alone, after `difference` (in what the model followed already).
Verdict Oracles::judge_state(std::string difference)
{
    if (Verdict broken = check_invariants(); !broken.ok() || !model_on_) return broken;
    return model_verdict(difference + runner_->compare_state());
}

// A kernel that broke an invariant is not walked for the model's comparison. After each call
// the checker walks the spaces that changed; the last check of a program walks everything.
Verdict Oracles::check_invariants()
{
    nova::Kernel& kernel = runner_->kernel();
    nova::Check_result check = check_everything_ ? kernel.check() : kernel.check_changes();
    if (check.ok()) return {};
    return {hcl::Oracle::invariant, fmt::format("kernel invariant broken: {} (detail {:#x})",
                                                check.invariant, check.detail)};
}

Verdict Oracles::model_verdict(std::string const& difference) const
{
    if (!model_on_ || difference.empty()) return {};
    std::string text =
        difference.ends_with('\n') ? difference.substr(0, difference.size() - 1) : difference;
    return {hcl::Oracle::model, "the reference model differs: " + text};
}

std::optional<Object_id> Oracles::pd_named(std::uint64_t selector) const
{
    auto id = object_named(runner_->model().root_pd(), selector);
    if (!id || !runner_->model().is_pd(*id)) return std::nullopt;
    return id;
}

// The model's operation for a kernel function; nothing when a selector names no PD (the tool's
// own BAD_CAP, before any kernel is called).
std::optional<Operation> Oracles::function_operation(hcl::Call const& call) const
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

// A kernel function runs in the runner's own code: no other CPU runs during it.
Verdict Oracles::kernel_function(hcl::Call const& call, hcl::Hypercall_target& target,
                                 hcl::Outcome& outcome)
{
    std::optional<Outcome> model;
    if (model_on_) {
        follow_kernel();
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
    replies_made_by(handler);
    follow_kernel();
    nova::Ec* caller = handler.caller;
    if (!model_on_ || caller == nullptr || caller->in_event) return judge_state({});
    auto from = model_pd(*caller), to = model_pd(handler);
    if (!from || !to) return judge_state({});
    Ipc_transfer transfer = message_items(utcb_of(*caller), utcb_of(handler));
    return judge_state(follow_items(transfer, *from, *to, utcb_of(handler)));
}

// The handler starts on a new call, so its last reply is made, even when the new caller is the
// one it replied to (the caller's own recall portal, served by the same EC, say).
void Oracles::replies_made_by(nova::Ec const& handler)
{
    for (Pending_reply& reply : pending_) reply.made |= reply.handler == &handler;
}

std::string Oracles::follow_items(Ipc_transfer const& transfer, Object_id from, Object_id to,
                                  nova::Utcb& received)
{
    std::string difference;
    if (received.typed() != transfer.items.size()) {
        difference = fmt::format("typed items received: kernel {}, model {}\n", received.typed(),
                                 transfer.items.size());
    }
    std::vector<Operation> operations = item_operations(transfer, from, to);
    for (std::size_t i = 0; i < operations.size(); ++i) {
        std::optional<Outcome> model = predict(operations[i]);
        if (!model) return {};
        Outcome kernel{nova::Status::success, nova::Crd{received.item_crd(i)}};
        if (!novamodel::agrees(kernel, *model)) {
            difference += fmt::format("typed item {}: kernel {} | model {}\n", i,
                                      novamodel::describe(kernel), novamodel::describe(*model));
        }
    }
    return difference;
}

// The handler's message goes back when the kernel makes the reply, which is the next thing the
// user land does; the model follows it at the first step after that (collect_kernel_steps).
void Oracles::handler_finished(nova::Ec& handler)
{
    nova::Ec* caller = handler.caller;
    if (!model_on_ || caller == nullptr || caller->dead) return; // a dead caller gets nothing
    auto from = model_pd(handler), to = model_pd(*caller);
    if (!from || !to) return;
    Ipc_transfer transfer = caller->in_event ? event_reply_items(utcb_of(handler))
                                             : message_items(utcb_of(handler), utcb_of(*caller));
    if (transfer.items.empty()) return;
    pending_.push_back({&handler, caller, *from, *to, std::move(transfer)});
}

Verdict Oracles::catch_up()
{
    follow_kernel();
    return judge_state({});
}

// The comparisons after each call walk what changed; the last one walks everything, so that
// a change that no version counted cannot outlive the program unseen.
Verdict Oracles::catch_up_completely()
{
    runner_->forget_agreement();
    check_everything_ = true;
    Verdict verdict = catch_up();
    check_everything_ = false;
    return verdict;
}

} // namespace fuzzprog
