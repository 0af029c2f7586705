// Which named resources a program has bound at a point of its text, and what each names: a PD,
// a local or global EC, an SC, a portal, a semaphore, or a slot (syzkaller's resources,
// design.md §5). The generator takes operands from it, so most mutants use live objects of the
// right kind; the repair after a mutation rebinds a name that is no longer bound to another of
// its kind, so every mutant still parses.
#pragma once

#include "program/program.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fuzz {

enum class Resource : std::uint8_t { pd, local_ec, global_ec, sc, pt, sm, slot };
inline constexpr std::size_t resource_count = 7;

// A set of resource kinds: what an operand accepts.
using Resources = std::uint8_t;
inline constexpr Resources of(Resource kind)
{
    return static_cast<Resources>(1u << static_cast<unsigned>(kind));
}
inline constexpr Resources any_resource = (1u << resource_count) - 1;
inline constexpr Resources any_ec = of(Resource::local_ec) | of(Resource::global_ec);

// The kind the name that `binding` binds gets (nothing for a statement that binds none).
std::optional<Resource> bound_kind(hcl::Instruction const& binding);
// The kinds a name written at `slot` of a form may have: slot 0 is the first selector of a
// form that does not bind, slot 1 + i its operand i.
Resources wanted(hcl::Form const& form, std::size_t slot);

class Resource_scope {
  public:
    Resource_scope(); // the predefined names

    // Binds what `instruction` binds (a thread also binds `$t.sc`).
    void bind(hcl::Instruction const& instruction);
    void bind(std::string const& name, Resource kind);
    bool bound(std::string const& name) const { return kinds_.contains(name); }
    std::optional<Resource> kind_of(std::string const& name) const;
    // The bound names of the kinds in `kinds`, in binding order.
    std::vector<std::string> names_of(Resources kinds) const;
    // Names the program binds somewhere, so that fresh() never hands them out.
    void reserve(hcl::Program const& program);
    // A name nobody has bound or reserved: `$STEM` with a number.
    std::string fresh(std::string_view stem);

  private:
    std::unordered_map<std::string, Resource> kinds_; // asked for every name a mutant uses
    std::array<std::vector<std::string>, resource_count> by_kind_;
    std::unordered_set<std::string> reserved_;
    std::uint32_t next_{0};
};

} // namespace fuzz
