// Swarm testing (TigerBeetle's random_enum_weights, testing-and-style-anchors.md §3.2): each run
// draws which kinds of statement the generator may write at all, and with very different
// weights, so that one run hammers calls and semaphores without ever revoking, and another
// revokes and delegates without a single thread. A uniform mix would dilute every deep state.
#pragma once

#include "random.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace fuzz {

// What the generator can write: one kind per hypercall form (sm_ctrl split in up and down, the
// two assign_* together), the kernel functions, `raw`, and the declarations.
enum class Kind : std::uint8_t {
    create_pd,
    create_ec,
    create_sc,
    create_pt,
    create_sm,
    revoke,
    lookup,
    ec_ctrl,
    sc_ctrl,
    pt_ctrl,
    sm_up,
    sm_down,
    call,
    reply,
    raw,
    delegate,
    translate,
    assign,
    ec,
    portal,
    thread,
    slot,
};
inline constexpr std::size_t kind_count = static_cast<std::size_t>(Kind::slot) + 1;

// Where a statement goes: declarations only at top level, `reply` only in a handler's block.
enum class Place : std::uint8_t { top_level, thread_block, handler_block };

bool fits(Kind kind, Place place);
char const* kind_name(Kind kind);

class Swarm {
  public:
    // Every kind, equally likely.
    static Swarm uniform();
    // Each kind is on with probability 1/2 and weighs 1, 2, 4, ... or 64; at least one
    // creating kind is on (there is nothing to use otherwise).
    static Swarm from_seed(std::uint64_t seed);

    // A kind for `place`, by weight among those on that fit it; if none does, any that fits.
    Kind pick(Random& random, Place place) const;
    std::uint32_t weight(Kind kind) const { return weights_[static_cast<std::size_t>(kind)]; }
    // "call:64 sm_down:8 ...": the kinds that are on, for a log line.
    std::string describe() const;

    // How often (one in N) a selector operand is a number rather than a live name of its kind,
    // and a CRD carries a random subset of rights rather than all.
    std::uint32_t numbered_one_in{8};
    std::uint32_t masked_one_in{3};

  private:
    std::array<std::uint32_t, kind_count> weights_{};
};

} // namespace fuzz
