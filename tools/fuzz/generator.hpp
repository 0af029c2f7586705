// Writes new statements for the mutator: a kind the swarm picks, operands from the names the
// program has bound at that point (choices.hpp), a fresh name for what it creates. A portal or
// thread comes with a short block of its own. Everything it writes parses and prints back.
#pragma once

#include "choices.hpp"

namespace fuzz {

// Sets operand `index` of `instruction` (a name, or a number; `+N` for a relative deadline),
// or its first selector.
void set_operand(hcl::Instruction& instruction, std::size_t index, hcl::Named_value const& value);
void set_selector(hcl::Instruction& instruction, hcl::Named_value const& value);

class Generator {
  public:
    Generator(Random& random, Swarm const& swarm, Resource_scope& scope)
        : choices_{random, swarm, scope}
    {
    }

    // A statement for `place`, of a kind the swarm picks; what it binds is bound in the scope.
    hcl::Instruction statement(Place place);
    hcl::Instruction statement(Kind kind, Place place);
    // A program of about `size` statements, from nothing.
    hcl::Program program(std::size_t size);

    Choices& choices() { return choices_; }

  private:
    hcl::Instruction creation(Kind kind);
    hcl::Instruction control(Kind kind, Place place);
    hcl::Instruction message(Kind kind);
    hcl::Instruction function(Kind kind);
    hcl::Instruction declaration(Kind kind);
    hcl::Instruction raw();
    hcl::Instruction assign();
    void block(hcl::Instruction& declaration, Place place, std::size_t most);
    void bind(hcl::Instruction& instruction, std::string_view stem);
    void set(hcl::Instruction& instruction, std::string_view operand, hcl::Named_value const& v);
    void set(hcl::Instruction& instruction, std::string_view operand, std::uint64_t value)
    {
        set(instruction, operand, hcl::Named_value{value, {}});
    }
    void flag(hcl::Instruction& instruction, std::string_view name, bool on);

    Choices choices_;
};

} // namespace fuzz
