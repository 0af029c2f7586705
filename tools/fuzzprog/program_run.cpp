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

// The message of a call or reply into the executing EC's UTCB: its words and typed items, and a
// call's receive window for the reply's delegations.
void write_message(hcl::Instruction const& instruction, sim::Env& env)
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
            env.add_delegate(nova::Crd{item.crd}, item.hotspot);
        }
    }
    if (is_message_call(*instruction.call.form) && instruction.call.operands[0] != 0) {
        env.set_receive_window(nova::Crd{instruction.call.operands[0]});
    }
}

std::vector<std::uint64_t> reply_words(sim::Env& env)
{
    std::vector<std::uint64_t> words;
    for (std::size_t i = 0; i < env.words(); ++i) words.push_back(env.word(i));
    return words;
}

// The call with `+N` deadlines made absolute on the executing CPU.
hcl::Call absolute(hcl::Instruction const& instruction, sim::Env& env)
{
    hcl::Call call = instruction.call;
    for (std::size_t i = 0; i < call.form->operands.size(); ++i) {
        if ((instruction.relative >> i & 1) != 0) call.operands[i] += env.tsc();
    }
    return call;
}

std::size_t count_expectations(std::vector<Instruction> const& block)
{
    std::size_t count = 0;
    for (Instruction const& instruction : block) {
        count += instruction.expect ? 1 : 0;
        count += count_expectations(instruction.block);
    }
    return count;
}

} // namespace

Program_run::Program_run(hcl::Program const& program, std::string filename,
                         Run_options const& options, std::ostream& out)
    : program_{program}, filename_{std::move(filename)}, options_{options}, out_{out}
{
    novamodel::Lockstep_config config = lockstep_config(options.cpus, options.vmx);
    if (auto unfit = model_unfit(program)) {
        out_ << fmt::format("note: reference model off: {}\n", *unfit);
        own_machine_ = std::make_unique<sim::Machine>(novamodel::machine_config_for(config));
        machine_ = own_machine_.get();
    } else {
        model_ = std::make_unique<Model_oracle>(config);
        model_on_ = true;
        machine_ = &model_->machine();
    }
    components_ = std::make_unique<Components>(*this, *machine_);
}

Program_run::~Program_run() = default;

std::optional<hcl::Run_summary> Program_run::run()
{
    if (machine_->boot_status() != nova::Status::success) {
        out_ << fmt::format("novasim: error: the machine did not boot: {}\n",
                            hcl::format_status(machine_->boot_status()));
        return std::nullopt;
    }
    if (model_on_ && !model_->boot_difference().empty()) {
        out_ << fmt::format("{}: error: the reference model differs at boot: {}", filename_,
                            model_->boot_difference());
        summary_.invariant_broken = true;
        return summary_;
    }
    try {
        run_top_level();
    } catch (sim::Simulation_error const& error) {
        out_ << fmt::format("{}: error: the simulation stopped: {}\n", filename_, error.what());
        summary_.invariant_broken = true;
        stopped_ = true;
    }
    if (!stopped_) report_unreached(program_.instructions);
    return summary_;
}

void Program_run::run_top_level()
{
    sim::Env root{*machine_, machine_->kernel().root_ec()};
    Actor actor{{}, root, false};
    run_block(program_.instructions, actor);
    if (!stopped_) components_->wait_for_threads(root, options_.thread_wait, out_);
}

void Program_run::run_block(std::vector<Instruction> const& block, Actor& actor)
{
    for (Instruction const& instruction : block) {
        if (stopped_ || !run_statement(instruction, actor)) return;
    }
    if (actor.handler) actor.env.utcb().set_counts(0, 0); // the implicit reply: an empty message
}

// Runs one statement; false when it ended its block (a handler's reply).
bool Program_run::run_statement(Instruction const& instruction, Actor& actor)
{
    if (actor.handler && is_reply(*instruction.call.form)) {
        reply(instruction, actor);
        reached_.insert(&instruction);
        return false;
    }
    reached_.insert(&instruction);
    if (instruction.call.form->declaration == hcl::Declaration::slot) return true;
    reached_.erase(&instruction); // until it completes: its EC may be killed inside
    Outcome outcome = execute(instruction, actor);
    reached_.insert(&instruction);
    ++summary_.executed;
    print(instruction, actor,
          hcl::format_outcome(*instruction.call.form, outcome.status, outcome.outputs,
                              outcome.words));
    check(instruction, outcome);
    return true;
}

Outcome Program_run::execute(Instruction const& instruction, Actor& actor)
{
    hcl::Form const& form = *instruction.call.form;
    if (form.declaration) return components_->declare(instruction, actor.env);
    if (model_on_) return execute_on_model(instruction, actor);
    if (form.message) return execute_call(instruction, actor);
    Machine_target target{actor.env};
    return hcl::execute_call(absolute(instruction, actor.env), target);
}

Outcome Program_run::execute_on_model(Instruction const& instruction, Actor& actor)
{
    std::string refusal;
    auto step = model_->step(instruction.call, refusal);
    if (!step) {
        out_ << fmt::format("note: reference model off from line {}: {}\n", instruction.where.line,
                            refusal);
        model_on_ = false;
        return execute(instruction, actor);
    }
    if (!step->difference.empty()) {
        oracle_fired(instruction, "the reference model differs: " + step->difference);
    }
    return step->outcome;
}

// A call (or a reply outside a handler) with its message; a call's reply words come back.
Outcome Program_run::execute_call(Instruction const& instruction, Actor& actor)
{
    write_message(instruction, actor.env);
    nova::Sys_regs frame = hcl::to_frame(instruction.call);
    actor.env.syscall(frame);
    Outcome outcome{frame.status(), {}, {}};
    if (outcome.status == nova::Status::success && is_message_call(*instruction.call.form)) {
        outcome.words = reply_words(actor.env);
    }
    return outcome;
}

// A handler's reply: the message goes into its UTCB and the handler returns, which replies.
void Program_run::reply(Instruction const& instruction, Actor& actor)
{
    write_message(instruction, actor.env);
    print(instruction, actor, "(replies)");
}

void Program_run::print(Instruction const& instruction, Actor const& actor,
                        std::string const& outcome)
{
    std::string who = actor.name.empty() ? "" : actor.name + ": ";
    out_ << fmt::format("{}: {}{} -> {}\n", instruction.where.line, who,
                        hcl::format_statement(instruction), outcome);
}

void Program_run::check(Instruction const& instruction, Outcome const& outcome)
{
    if (instruction.expect) {
        ++summary_.expectations;
        if (!hcl::check_expectation(instruction, outcome, filename_, out_)) ++summary_.failed;
    }
    nova::Check_result result = machine_->kernel().check();
    if (!result.ok()) {
        oracle_fired(instruction, fmt::format("kernel invariant broken: {} (detail {:#x})",
                                              result.invariant, result.detail));
    }
}

void Program_run::oracle_fired(Instruction const& instruction, std::string const& what)
{
    out_ << fmt::format("{} {}\n", hcl::error_prefix(filename_, instruction.where), what);
    summary_.invariant_broken = true;
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
