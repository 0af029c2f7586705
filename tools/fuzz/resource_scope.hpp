// Which named resources a program has bound at a point of its text, and what each names: a PD,
// a local or global EC, an SC, a portal, a semaphore, or a slot (syzkaller's resources,
// design.md §5). The generator takes operands from it, so most mutants use live objects of the
// right kind; the repair after a mutation rebinds a name that is no longer bound to another of
// its kind, so every mutant still parses.
#pragma once

#include "program/program.hpp"
#include "random.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// Flat and reused: a mutation repairs the whole program once or more, binding every name
// afresh, so a scope is filled and emptied thousands of times a second. Hash tables of strings,
// a node allocated per name, made that a third of a mutation's cost; here the names sit in one
// vector and an open-addressed table of their indices finds them.
class Resource_scope {
  public:
    Resource_scope(); // the predefined names

    // The predefined names again, nothing reserved; keeps the storage for the next program.
    void clear();
    // Binds what `instruction` binds (a thread also binds `$t.sc`).
    void bind(hcl::Instruction const& instruction);
    void bind(std::string_view name, Resource kind);
    bool bound(std::string_view name) const { return find(name, hash_bytes(name)) != nullptr; }
    std::optional<Resource> kind_of(std::string_view name) const;
    // The bound names of the kinds in `kinds`, in kind order, each kind's in binding order:
    // how many there are, and the one at `index` (< count(kinds)).
    std::size_t count(Resources kinds) const;
    std::string const& nth(Resources kinds, std::size_t index) const;
    // Names the program binds somewhere, so that fresh() never hands them out.
    void reserve(hcl::Program const& program);
    // A name nobody has bound or reserved: `$STEM` with a number.
    std::string fresh(std::string_view stem);

  private:
    struct Binding {
        std::uint64_t hash; // of the name: a probe compares only this, mostly
        std::string name;
        Resource kind;
    };
    Binding const* find(std::string_view name, std::uint64_t hash) const;
    void index(std::size_t binding);
    void reserve(std::vector<hcl::Instruction> const& block);

    static constexpr std::size_t predefined = 3; // $root_pd, $root_ec, $root_sc

    std::vector<Binding> bindings_; // in binding order; asked for every name a mutant uses
    // 1 + the index in bindings_ of the name whose hash probes there first (or just after),
    // 0 where none is; at most half full.
    std::vector<std::uint32_t> slots_;
    std::array<std::uint16_t, resource_count> counts_{}; // bindings of each kind
    std::vector<std::string> reserved_;
    std::uint32_t next_{0};
};

} // namespace fuzz
