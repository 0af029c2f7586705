#include "mutator.hpp"

#include "parsed_corpus.hpp"
#include "program/parser.hpp"
#include "program/printer.hpp"
#include "program/resources.hpp"
#include "proven_program.hpp"

#include <utility>

namespace fuzz {

namespace {

using hcl::Instruction;
using hcl::Program;
using Block = std::vector<Instruction>;

// Where a statement is: its block and its index there (a gap when index == block size).
struct Position {
    Block* block;
    std::size_t index;
    Place place;
};

Place place_of_block(Instruction const& declaration)
{
    return declaration.call.form->declaration == hcl::Declaration::portal ? Place::handler_block
                                                                          : Place::thread_block;
}

// Every statement (or, with `gaps`, every place a statement can go), in text order.
void collect(Block& block, Place place, bool gaps, std::vector<Position>& out)
{
    for (std::size_t i = 0; i <= block.size(); ++i) {
        if (gaps || i < block.size()) out.push_back({&block, i, place});
        if (i == block.size()) break;
        if (block[i].call.form->block) collect(block[i].block, place_of_block(block[i]), gaps, out);
    }
}

void positions(Program& program, bool gaps, std::vector<Position>& out)
{
    out.clear();
    collect(program.instructions, Place::top_level, gaps, out);
}

// The names bound before `index` of `target`, in text order.
bool bind_until(Block const& block, Block const* target, std::size_t index, Resource_scope& scope)
{
    for (std::size_t i = 0; i <= block.size(); ++i) {
        if (&block == target && i == index) return true;
        if (i == block.size()) break;
        scope.bind(block[i]);
        if (bind_until(block[i].block, target, index, scope)) return true;
    }
    return false;
}

// What `wanted` finds for a form's first selector or operand, drawn afresh.
hcl::Named_value redrawn(Choices& c, hcl::Form const& form, std::size_t slot)
{
    if (slot == 0) return c.selector(wanted(form, 0));
    hcl::Operand const& operand = form.operands[slot - 1];
    std::string_view name = operand.name;
    if (operand.kind == hcl::Value_kind::crd) {
        return name == "window" || name == "xlt" ? c.window() : c.crd();
    }
    if (operand.kind == hcl::Value_kind::selector) return c.selector(wanted(form, slot));
    if (operand.kind == hcl::Value_kind::tsc) return {c.deadline(), {}, true};
    if (name == "cpu") return {c.cpu(), {}};
    if (name == "utcb") return {c.utcb(), {}};
    if (name == "prio") return {c.prio(), {}};
    if (name == "quantum") return {c.quantum(), {}};
    if (operand.kind == hcl::Value_kind::count) return {c.small(20), {}};
    return {c.word() & operand.value_mask(), {}};
}

// Whether writing `value` at `slot` (as in redrawn()) changes the instruction.
bool rewrite(Instruction& instruction, std::size_t slot, hcl::Named_value const& value)
{
    hcl::Call call = instruction.call;
    std::string name = instruction.names[slot];
    std::uint8_t relative = instruction.relative;
    if (slot == 0) {
        set_selector(instruction, value);
    } else {
        set_operand(instruction, slot - 1, value);
    }
    return instruction.call != call || instruction.names[slot] != name ||
           instruction.relative != relative;
}

// The slot repair_use() is given for the base of a typed item's CRD: any name will do there.
constexpr std::size_t item_slot = hcl::max_operands + 1;

// A name that is not bound at its use takes one of a kind the operand wants, if any.
void repair_use(std::string& name, hcl::Form const& form, std::size_t slot,
                Resource_scope const& scope, Random& random)
{
    if (name.empty() || scope.bound(name)) return;
    Resources kinds = slot == item_slot ? any_resource : wanted(form, slot);
    std::size_t candidates = scope.count(kinds);
    name = candidates == 0 ? std::string{} : scope.nth(kinds, random.below(candidates));
}

// Makes every name bound once and before its uses, and says whether what it leaves is settled:
// repaired again, it would stay as it is and draw nothing. It would, but for a fresh name `$x`
// given where a `$x.sc` is bound already: a second repair would rename that thread's `$x` again.
class Repair {
  public:
    Repair(Resource_scope& scope, Random& random) : scope_{scope}, random_{random} {}

    bool program(Program& program)
    {
        scope_.clear();
        scope_.reserve(program);
        block(program.instructions);
        return settled_;
    }

  private:
    void block(Block& block)
    {
        for (Instruction& instruction : block) {
            statement(instruction);
            this->block(instruction.block);
        }
    }
    void statement(Instruction& instruction);
    bool taken(std::string const& binding) const
    {
        return scope_.bound(binding) || scope_.bound(binding + ".sc");
    }

    Resource_scope& scope_;
    Random& random_;
    bool settled_{true};
};

void Repair::statement(Instruction& instruction)
{
    hcl::Form const& form = *instruction.call.form;
    bool binds = form.binds();
    for (std::size_t slot = binds ? 1 : 0; slot <= form.operands.size(); ++slot) {
        repair_use(instruction.names[slot], form, slot, scope_, random_);
    }
    for (hcl::Typed_item& item : instruction.message.items) {
        repair_use(item.base_name, form, item_slot, scope_, random_);
    }
    std::string& binding = instruction.names[0];
    if (binds && !binding.empty() && taken(binding)) {
        binding = scope_.fresh(binding.substr(1));
        settled_ = settled_ && !taken(binding);
    }
    scope_.bind(instruction);
}

// The changes of one mutant, one after the other. The positions and the scope are kept from one
// to the next so that their storage is allocated once per mutant, not once per change.
//
// Each change picks again while a pick changes nothing, a few times. That used to take a copy of
// the program to compare with and a repair after every pick. Once the program is settled (what a
// repair leaves, see Repair) neither is needed, and the draws stay the same: a pick that changes
// nothing leaves the program as it is, repaired or not; a pick that changes something (each says
// whether it did) leaves, repaired, a program that differs still. It changes what no repair
// touches (the statement count, a flag, a right, a number, words), or it writes a name that is
// bound where it goes, which a repair keeps; a swap of two different statements stays a change,
// as the repair only rebinds the uses of what the first of them binds, and a rename takes a fresh
// name, never one the program had.
class Mutation {
  public:
    Mutation(Program& program, Random& random, Swarm const& swarm, Mutation_limits const& limits,
             Resource_scope& scope)
        : program_{program}, random_{random}, swarm_{swarm}, limits_{limits}, scope_{scope}
    {
    }

    // One change, repaired; whether the program is settled after it.
    bool change(bool settled);

  private:
    bool once(); // whether it changed the program
    Position some_statement() { return random_.pick(statements_); }
    Resource_scope& scope_at(Position const& at);
    bool insert();
    bool erase();
    bool duplicate();
    bool swap();
    bool redraw_operand();
    bool toggle_flag();
    bool take_right();
    bool redraw_message();

    Program& program_;
    Random& random_;
    Swarm const& swarm_;
    Mutation_limits const& limits_;
    Resource_scope& scope_;
    std::vector<Position> statements_;
    std::vector<Position> gaps_;
    Program before_; // the program before a change, while it is not settled
};

bool Mutation::change(bool settled)
{
    if (!settled) before_ = program_;
    for (int attempt = 0; attempt < 8; ++attempt) {
        bool changed = once();
        if (settled && !changed) continue;
        bool repaired_settled = Repair{scope_, random_}.program(program_);
        if (settled || program_ != before_) return repaired_settled;
        settled = repaired_settled; // unchanged: the program is what this repair left
    }
    return settled;
}

Resource_scope& Mutation::scope_at(Position const& at)
{
    scope_.clear();
    scope_.reserve(program_);
    bind_until(program_.instructions, at.block, at.index, scope_);
    return scope_;
}

bool Mutation::once()
{
    positions(program_, false, statements_);
    if (statements_.empty() || random_.one_in(3)) return insert();
    switch (random_.below(8)) {
    case 0:
        return erase();
    case 1:
        return duplicate();
    case 2:
        return swap();
    case 3:
    case 4:
        return redraw_operand();
    case 5:
        return toggle_flag();
    case 6:
        return take_right();
    default:
        return redraw_message();
    }
}

bool Mutation::insert()
{
    positions(program_, true, gaps_);
    Position at = random_.pick(gaps_);
    if (statements_.size() >= limits_.statements) return erase();
    if (at.place != Place::top_level && at.block->size() >= limits_.block) return false;
    Generator generator{random_, swarm_, scope_at(at)};
    Instruction made = generator.statement(at.place);
    at.block->insert(at.block->begin() + static_cast<std::ptrdiff_t>(at.index), std::move(made));
    return true;
}

bool Mutation::erase()
{
    Position at = some_statement();
    at.block->erase(at.block->begin() + static_cast<std::ptrdiff_t>(at.index));
    return true;
}

bool Mutation::duplicate()
{
    Position at = some_statement();
    Instruction copy = (*at.block)[at.index];
    at.block->insert(at.block->begin() + static_cast<std::ptrdiff_t>(at.index) + 1, copy);
    return true;
}

bool Mutation::swap()
{
    Position at = some_statement();
    if (at.index + 1 >= at.block->size()) return false;
    Instruction& first = (*at.block)[at.index];
    Instruction& second = (*at.block)[at.index + 1];
    std::swap(first, second);
    return first != second;
}

bool Mutation::redraw_operand()
{
    Position at = some_statement();
    Instruction& instruction = (*at.block)[at.index];
    hcl::Form const& form = *instruction.call.form;
    std::size_t slots = form.operands.size() + (form.has_selector && !form.binds() ? 1 : 0);
    if (slots == 0) return toggle_flag();
    std::size_t slot = random_.below(slots) + (form.has_selector && !form.binds() ? 0 : 1);
    Choices choices{random_, swarm_, scope_at(at)};
    hcl::Named_value value = redrawn(choices, form, slot);
    return rewrite(instruction, slot, value);
}

bool Mutation::toggle_flag()
{
    Position at = some_statement();
    hcl::Call& call = (*at.block)[at.index].call;
    if (call.form->flags.empty()) return false;
    std::uint8_t bit = random_.pick(call.form->flags).bit;
    call.flags ^= bit;
    return bit != 0;
}

// One right less (or more) in a CRD operand or a typed item: the masks delegation combines.
bool Mutation::take_right()
{
    Position at = some_statement();
    Instruction& instruction = (*at.block)[at.index];
    std::uint64_t right = std::uint64_t{1} << (2 + random_.below(5));
    if (!instruction.message.items.empty()) {
        random_.pick(instruction.message.items).crd ^= right;
        return true;
    }
    hcl::Form const& form = *instruction.call.form;
    for (std::size_t i = 0; i < form.operands.size(); ++i) {
        if (form.operands[i].kind == hcl::Value_kind::crd && random_.one_in(2)) {
            instruction.call.operands[i] ^= right;
            return true;
        }
    }
    return false;
}

bool Mutation::redraw_message()
{
    Position at = some_statement();
    Instruction& instruction = (*at.block)[at.index];
    if (!instruction.call.form->message) return redraw_operand();
    Choices choices{random_, swarm_, scope_at(at)};
    hcl::Message& message = instruction.message;
    if (random_.one_in(3)) {
        std::optional<std::vector<std::uint64_t>> words;
        if (!random_.one_in(4)) words = choices.words();
        std::optional<std::vector<std::uint64_t>> before = std::exchange(message.words, words);
        return message.words != before;
    }
    if (!message.items.empty() && random_.one_in(3)) {
        message.items.erase(message.items.begin() +
                            static_cast<std::ptrdiff_t>(random_.below(message.items.size())));
        return true;
    }
    std::vector<hcl::Typed_item> before = std::exchange(message.items, choices.items());
    return message.items != before;
}

// Whether `printed`, the text of `program`, parses; when it parses back to `program` itself, the
// execution that follows gets the parse and the proof that the text round-trips. The mutations
// leave the selectors that names stand for as they were; they are given anew (as the parser
// gives them) once the names are known to be bound before their uses.
bool parses(std::string const& printed, Program& program)
{
    hcl::Parse_result result = hcl::parse_program(printed, "mutant");
    auto* reparsed = std::get_if<Program>(&result);
    if (reparsed == nullptr) return false;
    hcl::assign_selectors(program);
    if (*reparsed == program) keep_proven(printed, std::move(*reparsed));
    return true;
}

// Whether it took anything away.
bool trim(Program& program, Random& random, Mutation_limits const& limits)
{
    bool trimmed = false;
    for (Instruction& declaration : program.instructions) {
        if (declaration.block.size() <= limits.block) continue;
        declaration.block.resize(limits.block);
        trimmed = true;
    }
    std::vector<Position> all;
    while (statement_count(program) > limits.statements) {
        positions(program, false, all);
        Position at = random.pick(all);
        at.block->erase(at.block->begin() + static_cast<std::ptrdiff_t>(at.index));
        trimmed = true;
    }
    return trimmed;
}

} // namespace

std::size_t statement_count(Program const& program)
{
    std::size_t count = 0;
    hcl::for_each_statement(program.instructions, [&count](Instruction const&) { ++count; });
    return count;
}

void drop_expectations(Program& program)
{
    hcl::for_each_statement(program.instructions, [](Instruction& i) { i.expect.reset(); });
}

void repair(Program& program, Random& random)
{
    Resource_scope scope;
    Repair{scope, random}.program(program);
}

void mutate(Program& program, Random& random, Swarm const& swarm, Mutation_limits const& limits)
{
    drop_expectations(program);
    Resource_scope scope;
    Mutation mutation{program, random, swarm, limits, scope};
    bool settled = false; // a parsed program need not be what a repair leaves
    std::uint64_t changes = 1 + random.below(random.one_in(4) ? 8 : 2);
    for (std::uint64_t n = 0; n < changes; ++n) settled = mutation.change(settled);
    // A settled program that trim leaves as it is would come out of a repair unchanged.
    if (trim(program, random, limits) || !settled) Repair{scope, random}.program(program);
}

Program cross_over(Program const& a, Program const& b, Random& random)
{
    Program child;
    auto const& first = a.instructions;
    auto const& second = b.instructions;
    std::size_t cut_a = random.below(first.size() + 1), cut_b = random.below(second.size() + 1);
    child.instructions.assign(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(cut_a));
    child.instructions.insert(child.instructions.end(),
                              second.begin() + static_cast<std::ptrdiff_t>(cut_b), second.end());
    drop_expectations(child);
    repair(child, random);
    return child;
}

std::string fresh_text(std::uint64_t seed, std::size_t statements)
{
    Random random{seed};
    Swarm swarm = Swarm::from_seed(random.next());
    Resource_scope scope;
    Generator generator{random, swarm, scope};
    return hcl::format_program(generator.program(statements));
}

std::string mutate_text(std::string_view text, std::uint64_t seed, std::size_t max_size,
                        Mutation_limits const& limits)
{
    Random random{seed};
    Program const* original = parsed_corpus().program(text);
    if (original == nullptr || original->instructions.empty())
        return fresh_text(seed, 4 + random.below(20));
    Swarm swarm = Swarm::from_seed(seed ^ hash_bytes(text));
    for (int attempt = 0; attempt < 4; ++attempt) {
        Program mutant = *original;
        mutate(mutant, random, swarm, limits);
        std::string printed = hcl::format_program(mutant);
        if (printed.size() <= max_size && parses(printed, mutant)) return printed;
    }
    return std::string(text);
}

std::string cross_over_text(std::string_view a, std::string_view b, std::uint64_t seed,
                            std::size_t max_size)
{
    Random random{seed};
    std::optional<Program> first; // the second look-up may push the first out of the corpus
    if (Program const* a_program = parsed_corpus().program(a)) first = *a_program;
    Program const* second = parsed_corpus().program(b);
    if (!first || second == nullptr) return std::string(a);
    Program child = cross_over(*first, *second, random);
    std::string printed = hcl::format_program(child);
    return printed.size() <= max_size && parses(printed, child) ? printed : std::string(a);
}

} // namespace fuzz
