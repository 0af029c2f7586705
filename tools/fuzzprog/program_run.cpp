#include "program_run.hpp"

#include "components.hpp"
#include "machine_target.hpp"
#include "nova/utcb.hpp"
#include "program/frame.hpp"
#include "program/printer.hpp"
#include "program/status_text.hpp"

#include <fmt/format.h>

namespace fuzzprog {

namespace {

using hcl::Instruction;
using hcl::Outcome;

bool is_message_call(hcl::Form const& form)
{
    return form.message && form.has_selector;
}

bool is_reply(hcl::Form const& form)
{
    return form.message && !form.has_selector;
}

// In a handler, `reply` ends the block, and so does a raw frame with the reply's number: the
// user land makes the reply when the handler returns (a second reply would have no caller).
bool ends_handler(Instruction const& instruction)
{
    hcl::Form const& form = *instruction.call.form;
    if (is_reply(form)) return true;
    if (form.kind() != hcl::Form_kind::raw) return false;
    nova::Sys_regs frame = hcl::to_frame(instruction.call);
    return frame.number() == nova::Hypercall::reply;
}

// The message of a call or reply into the executing EC's UTCB: its words and typed items, and a
// call's receive windows for the reply's delegations and translations.
void write_message(Instruction const& instruction, sim::Env& env)
{
    nova::Utcb& utcb = env.utcb();
    std::vector<std::uint64_t> words =
        instruction.message.words.value_or(std::vector<std::uint64_t>{});
    std::size_t count = std::min(words.size(), nova::Utcb::words);
    for (std::size_t i = 0; i < count; ++i) utcb.data[i] = words[i];
    utcb.set_counts(count, 0);
    for (hcl::Typed_item const& item : instruction.message.items) {
        if (item.translate) {
            env.add_translate(nova::Crd{item.crd});
        } else {
            env.add_delegate(nova::Crd{item.crd}, item.hotspot, item.flags);
        }
    }
    if (!is_message_call(*instruction.call.form)) return;
    if (std::uint64_t window = hcl::operand_value(instruction.call, "window"); window != 0) {
        env.set_receive_window(nova::Crd{window});
    }
    if (std::uint64_t xlt = hcl::operand_value(instruction.call, "xlt"); xlt != 0) {
        utcb.xlt = nova::Crd{xlt};
    }
}

std::vector<std::uint64_t> reply_words(sim::Env& env)
{
    std::vector<std::uint64_t> words;
    for (std::size_t i = 0; i < env.words(); ++i) words.push_back(env.word(i));
    return words;
}

// The call with `+N` deadlines made absolute on the executing CPU.
hcl::Call absolute(Instruction const& instruction, sim::Env& env)
{
    hcl::Call call = instruction.call;
    for (std::size_t i = 0; i < call.form->operands.size(); ++i) {
        if ((instruction.relative >> i & 1) != 0) call.operands[i] += env.tsc();
    }
    return call;
}

// The machine stopped with nothing to run and nothing pending: the root blocked for good.
bool machine_idle(sim::Machine& machine)
{
    sim::Engine const& engine = machine.engine();
    for (std::uint32_t cpu = 0; cpu < engine.cpus(); ++cpu) {
        sim::Processor const& p = engine.processor(cpu);
        if (p.state() != sim::Processor::State::idle || p.wake_time() != sim::never) return false;
    }
    return true;
}

} // namespace

Program_run::Program_run(hcl::Program const& program, std::string filename,
                         Run_options const& options, std::ostream& out)
    : program_{program}, filename_{std::move(filename)}, options_{options}, out_{out},
      oracles_{std::make_unique<Oracles>(lockstep_config(options.cpus, options.vmx))}
{
    components_ = std::make_unique<Components>(*this, machine());
}

Program_run::~Program_run() = default;

std::optional<hcl::Run_summary> Program_run::run()
{
    if (machine().boot_status() != nova::Status::success) {
        out_ << fmt::format("novasim: error: the machine did not boot: {}\n",
                            hcl::format_status(machine().boot_status()));
        return std::nullopt;
    }
    if (!oracles_->boot_difference().empty()) {
        out_ << fmt::format("{}: error: the reference model differs at boot: {}", filename_,
                            oracles_->boot_difference());
        summary_.fired = hcl::Oracle::model;
        return summary_;
    }
    try {
        run_top_level();
    } catch (sim::Simulation_error const& error) {
        stopped_by_simulation(error);
    }
    if (!summary_.oracle_fired()) report_unreached(program_.instructions);
    return summary_;
}

void Program_run::run_top_level()
{
    sim::Env root{machine(), machine().kernel().root_ec()};
    Actor actor{{}, root, false};
    try {
        run_block(program_.instructions, actor);
        if (stopped_) return;
        components_->wait_for_threads(root, options_.thread_wait, out_);
    } catch (sim::Ec_killed const& killed) {
        if (killed.ec != &root.ec()) throw;
        out_ << fmt::format("{}: error: the kernel killed the root EC; the run ends\n", filename_);
        summary_.stuck = stopped_ = true;
        return;
    }
    Verdict last = oracles_->catch_up_completely();
    if (!last.ok() && !summary_.oracle_fired()) {
        out_ << fmt::format("{}: error: after the last statement: {}\n", filename_, last.what);
        summary_.fired = last.fired;
        summary_.finding = last.what;
    }
}

// Only the root blocking with nothing left to run is the program's doing; any other failure of
// the simulator is a finding.
void Program_run::stopped_by_simulation(sim::Simulation_error const& error)
{
    stopped_ = true;
    if (machine_idle(machine())) {
        bool killed = machine().kernel().root_ec().dead;
        out_ << fmt::format("{}: error: the root EC {}: {}\n", filename_,
                            killed ? "was killed by the kernel" : "blocked for good", error.what());
        summary_.stuck = true;
        return;
    }
    out_ << fmt::format("{}: error: the simulation failed: {}\n", filename_, error.what());
    summary_.fired = hcl::Oracle::simulation;
    summary_.finding = std::string("the simulation failed: ") + error.what();
}

void Program_run::run_block(std::vector<Instruction> const& block, Actor& actor)
{
    for (Instruction const& instruction : block) {
        if (stopped_ || !run_statement(instruction, actor)) return;
    }
    if (actor.handler) actor.env.utcb().set_counts(0, 0); // the implicit reply: an empty message
}

// Only statements with an expectation are asked about at the end (report_unreached): the
// others need no record, which spares a node per executed statement.
void Program_run::reached(Instruction const& instruction)
{
    if (instruction.expect) reached_.insert(&instruction);
}

// Runs one statement; false when it ended its block (a handler's reply).
bool Program_run::run_statement(Instruction const& instruction, Actor& actor)
{
    if (actor.handler && ends_handler(instruction)) {
        reached(instruction);
        reply(instruction, actor);
        return false;
    }
    if (instruction.call.form->declaration == hcl::Declaration::slot) {
        reached(instruction);
        return true;
    }
    // Reached only once it completes: its EC may be killed inside.
    Verdict outer = std::exchange(verdict_, {});
    Outcome outcome;
    try {
        outcome = execute(instruction, actor);
    } catch (sim::Ec_killed const&) {
        killed(instruction, actor);
        verdict_ = outer;
        throw;
    }
    reached(instruction);
    ++summary_.executed;
    if (options_.observer != nullptr)
        options_.observer->called(instruction, outcome, actor.handler);
    if (options_.trace) { // the fuzzer runs untraced, and formatting is not cheap
        print(instruction, actor,
              hcl::format_outcome(*instruction.call.form, outcome.status, outcome.outputs,
                                  outcome.words));
    }
    check(instruction, outcome);
    verdict_ = outer;
    return true;
}

Outcome Program_run::execute(Instruction const& instruction, Actor& actor)
{
    hcl::Form const& form = *instruction.call.form;
    if (form.declaration) {
        Outcome outcome = components_->declare(instruction, actor.env);
        take(instruction, oracles_->catch_up()); // the state its hypercalls left
        return outcome;
    }
    if (form.kind() == hcl::Form_kind::kernel_function) {
        Machine_target target{actor.env};
        Outcome outcome;
        take(instruction, oracles_->kernel_function(instruction.call, target, outcome));
        return outcome;
    }
    if (form.message) return execute_message(instruction, actor);
    return execute_hypercall(instruction, actor);
}

Outcome Program_run::execute_hypercall(Instruction const& instruction, Actor& actor)
{
    hcl::Call call = absolute(instruction, actor.env);
    nova::Sys_regs frame = frame_for(actor.env, call);
    take(instruction, oracles_->hypercall(actor.env, frame));
    bool has_outputs = frame.status() == nova::Status::success;
    return {frame.status(), has_outputs ? hcl::read_outputs(*call.form, frame) : hcl::Outputs{}};
}

// A call (or a reply outside a handler) with its message; a call's reply words come back.
Outcome Program_run::execute_message(Instruction const& instruction, Actor& actor)
{
    write_message(instruction, actor.env);
    nova::Sys_regs frame = frame_for(actor.env, instruction.call);
    take(instruction, oracles_->hypercall(actor.env, frame));
    Outcome outcome{frame.status(), {}, {}};
    if (outcome.status == nova::Status::success && is_message_call(*instruction.call.form)) {
        outcome.words = reply_words(actor.env);
    }
    return outcome;
}

nova::Status Program_run::hypercall(sim::Env& env, nova::Sys_regs& frame,
                                    Instruction const& declaration)
{
    take(declaration, oracles_->hypercall(env, frame, false));
    return frame.status();
}

// What the kernel transferred to the handler is judged at once, at its declaration: the
// handler's block does not run on a kernel that already differs.
void Program_run::handler_started(sim::Env& handler, Instruction const& declaration)
{
    Verdict verdict = oracles_->handler_started(handler.ec());
    note(declaration);
    judge(declaration, verdict);
}

void Program_run::handler_finished(sim::Env& handler)
{
    oracles_->handler_finished(handler.ec());
}

// A handler's reply: the message goes into its UTCB and the handler returns, which replies.
// A raw reply frame replies with what the UTCB holds.
void Program_run::reply(Instruction const& instruction, Actor& actor)
{
    if (is_reply(*instruction.call.form)) write_message(instruction, actor.env);
    print(instruction, actor, "(replies)");
}

// The kernel killed the statement's EC on the way: its code unwinds from here.
void Program_run::killed(Instruction const& instruction, Actor const& actor)
{
    print(instruction, actor, "(killed)");
    Verdict verdict = oracles_->take_verdict();
    if (verdict_.ok()) verdict_ = verdict;
    judge(instruction, std::exchange(verdict_, {}));
}

void Program_run::print(Instruction const& instruction, Actor const& actor,
                        std::string const& outcome)
{
    if (!options_.trace) return;
    std::string who = actor.name.empty() ? "" : actor.name + ": ";
    out_ << fmt::format("{}: {}{} -> {}\n", instruction.where.line, who,
                        hcl::format_statement(instruction), outcome);
}

// A verdict of the oracles for `instruction`: the first finding is kept until the statement's
// line is printed.
void Program_run::take(Instruction const& instruction, Verdict const& verdict)
{
    note(instruction);
    if (verdict_.ok()) verdict_ = verdict;
}

// The model turning off is said at once, with the line that made it.
void Program_run::note(Instruction const& instruction)
{
    if (!oracles_->has_note()) return;
    std::string why = oracles_->take_note();
    summary_.model_off = why;
    if (!options_.trace) return;
    out_ << fmt::format("note: reference model off from line {}: {}\n", instruction.where.line,
                        why);
}

void Program_run::check(Instruction const& instruction, Outcome const& outcome)
{
    if (instruction.expect) {
        ++summary_.expectations;
        if (!hcl::check_expectation(instruction, outcome, filename_, out_)) ++summary_.failed;
    }
    judge(instruction, std::exchange(verdict_, {}));
}

void Program_run::judge(Instruction const& instruction, Verdict const& verdict)
{
    if (verdict.ok() || summary_.oracle_fired()) return;
    out_ << fmt::format("{} {}\n", hcl::error_prefix(filename_, instruction.where), verdict.what);
    summary_.fired = verdict.fired;
    summary_.finding = verdict.what;
    stopped_ = true;
}

// Expectations of statements that never ran (a thread that blocked for good, a handler never
// called) are unmet.
void Program_run::report_unreached(std::vector<Instruction> const& block)
{
    for (Instruction const& instruction : block) {
        if (instruction.expect && !reached_.contains(&instruction)) {
            ++summary_.expectations;
            ++summary_.failed;
            out_ << fmt::format("{} expected -> {}, but the statement never completed (its EC "
                                "blocked for good or was killed)\n",
                                hcl::error_prefix(filename_, instruction.where),
                                hcl::format_status(instruction.expect->status));
        }
        report_unreached(instruction.block);
    }
}

} // namespace fuzzprog
