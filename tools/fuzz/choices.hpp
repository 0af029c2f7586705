// The values the generator writes into a statement. Selectors are live names of the kind the
// operand wants (now and then a number: a wrapped-around selector, the root's, an empty one);
// CRDs come in every type, with all rights or a random part of them; the rest are small numbers
// near the edges the kernel checks (priority 0 and 128, quantum 0, a CPU past the last one).
#pragma once

#include "program/name_text.hpp"
#include "program/program.hpp"
#include "random.hpp"
#include "resource_scope.hpp"
#include "swarm.hpp"

#include <cstdint>
#include <vector>

namespace fuzz {

class Choices {
  public:
    Choices(Random& random, Swarm const& swarm, Resource_scope& scope)
        : random_{random}, swarm_{swarm}, scope_{scope}
    {
    }

    Random& random() { return random_; }
    Swarm const& swarm() const { return swarm_; }
    Resource_scope& scope() { return scope_; }

    // A live name of one of `kinds`, or a number.
    hcl::Named_value selector(Resources kinds);
    std::uint64_t number_selector();
    // A CRD to send, revoke, look up or translate; an object CRD's base may be a name.
    hcl::Named_value crd();
    // A receive window: free object selectors, memory or ports; null now and then.
    hcl::Named_value window();
    std::uint8_t rights(std::uint8_t all);

    std::uint64_t cpu();
    std::uint64_t utcb();
    std::uint64_t prio();
    std::uint64_t quantum();
    std::uint64_t deadline(); // cycles after now
    std::uint64_t small(std::uint64_t most) { return random_.below(most + 1); }
    std::uint64_t word();
    std::vector<std::uint64_t> words();
    std::vector<hcl::Typed_item> items();

  private:
    hcl::Named_value object_crd(std::uint8_t order);
    hcl::Typed_item item();

    Random& random_;
    Swarm const& swarm_;
    Resource_scope& scope_;
};

} // namespace fuzz
