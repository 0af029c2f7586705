#include "minimiser.hpp"

#include "mutator.hpp"

namespace fuzz {

namespace {

using hcl::Instruction;
using hcl::Program;

class Minimiser {
  public:
    Minimiser(Still_fires const& still_fires, std::size_t budget)
        : still_fires_{still_fires}, budget_{budget}
    {
    }

    // Keeps `candidate` (repaired) if the oracle still fires on it.
    bool keep(Program& current, Program candidate)
    {
        if (budget_ == 0) return false;
        --budget_;
        Random random{1}; // repairs are part of the candidate: the same each time
        repair(candidate, random);
        if (candidate == current || !still_fires_(candidate)) return false;
        current = std::move(candidate);
        return true;
    }

    bool drop_chunks(Program& program);
    bool drop_block_statements(Program& program);
    bool simplify_statements(Program& program);

  private:
    Still_fires const& still_fires_;
    std::size_t budget_;
};

bool Minimiser::drop_chunks(Program& program)
{
    bool changed = false;
    for (std::size_t chunk = std::max<std::size_t>(1, program.instructions.size() / 2); chunk > 0;
         chunk /= 2) {
        for (std::size_t at = 0; at < program.instructions.size();) {
            Program candidate = program;
            auto& all = candidate.instructions;
            auto first = all.begin() + static_cast<std::ptrdiff_t>(at);
            all.erase(first, first + static_cast<std::ptrdiff_t>(std::min(chunk, all.size() - at)));
            if (keep(program, std::move(candidate))) {
                changed = true;
            } else {
                at += chunk;
            }
        }
    }
    return changed;
}

bool Minimiser::drop_block_statements(Program& program)
{
    bool changed = false;
    for (std::size_t d = 0; d < program.instructions.size(); ++d) {
        for (std::size_t s = 0; s < program.instructions[d].block.size();) {
            Program candidate = program;
            auto& block = candidate.instructions[d].block;
            block.erase(block.begin() + static_cast<std::ptrdiff_t>(s));
            if (keep(program, std::move(candidate))) {
                changed = true;
            } else {
                ++s;
            }
        }
    }
    return changed;
}

// The simpler forms of one statement, one change each.
std::vector<Instruction> simpler(Instruction const& instruction)
{
    std::vector<Instruction> forms;
    for (std::size_t i = 0; i < instruction.message.items.size(); ++i) {
        Instruction fewer = instruction;
        fewer.message.items.erase(fewer.message.items.begin() + static_cast<std::ptrdiff_t>(i));
        forms.push_back(std::move(fewer));
    }
    if (instruction.message.words && !instruction.message.words->empty()) {
        forms.push_back(instruction);
        forms.back().message.words.reset();
    }
    hcl::Form const& form = *instruction.call.form;
    for (std::size_t i = 0; i < form.operands.size(); ++i) {
        if (form.operands[i].required || instruction.call.operands[i] == form.operands[i].fallback)
            continue;
        forms.push_back(instruction);
        forms.back().call.operands[i] = form.operands[i].fallback;
        forms.back().names[1 + i].clear();
        forms.back().relative = static_cast<std::uint8_t>(forms.back().relative & ~(1u << i));
    }
    for (hcl::Flag_word const& flag : form.flags) {
        if ((instruction.call.flags & flag.bit) == 0) continue;
        forms.push_back(instruction);
        forms.back().call.flags = static_cast<std::uint8_t>(forms.back().call.flags & ~flag.bit);
    }
    return forms;
}

bool Minimiser::simplify_statements(Program& program)
{
    bool changed = false;
    std::vector<Instruction*> all;
    hcl::for_each_statement(program.instructions, [&all](Instruction& i) { all.push_back(&i); });
    for (std::size_t n = 0; n < all.size(); ++n) {
        for (Instruction const& form : simpler(*all[n])) {
            Program candidate = program;
            std::vector<Instruction*> same;
            hcl::for_each_statement(candidate.instructions,
                                    [&same](Instruction& i) { same.push_back(&i); });
            *same[n] = form;
            if (keep(program, std::move(candidate))) {
                changed = true;
                all.clear();
                hcl::for_each_statement(program.instructions,
                                        [&all](Instruction& i) { all.push_back(&i); });
                break;
            }
        }
    }
    return changed;
}

} // namespace

Program minimise(Program program, Still_fires const& still_fires, std::size_t budget)
{
    Minimiser minimiser{still_fires, budget};
    drop_expectations(program);
    for (bool changed = true; changed;) {
        changed = minimiser.drop_chunks(program);
        changed |= minimiser.drop_block_statements(program);
        changed |= minimiser.simplify_statements(program);
    }
    return program;
}

} // namespace fuzz
