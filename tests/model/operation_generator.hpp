// Random capability programs that stay interesting: few PDs, small selector windows (so ranges
// collide, overlap, wrap around and meet hotspots), memory and ports taken from the kernel with
// H first, PD capabilities passed around so that revoking them cascades. Parameters are drawn
// near existing mappings most of the time and anywhere now and then.
#pragma once

#include "capability_model.hpp"
#include "operation.hpp"

#include <cstdint>
#include <random>

namespace novamodel {

// What one sequence concentrates on: one space type, or all of them.
enum class Focus : std::uint8_t { all, obj, mem, pio };

class Operation_generator {
  public:
    Operation_generator(std::uint64_t seed, Focus focus) : rng_{seed}, focus_{focus} {}

    // An operation on live PDs of `model` that never destroys the root EC or root SC.
    Operation next(Capability_model const& model);

  private:
    static constexpr std::size_t max_pds = 5; // the root's included

    // Kinds of operation.
    Operation create(Capability_model const& model);
    Operation create_pd(Capability_model const& model, Hypercall_args args);
    Operation create_ec(Capability_model const& model, Hypercall_args args);
    Operation create_sc(Capability_model const& model, Hypercall_args args);
    Operation create_pt(Capability_model const& model, Hypercall_args args);
    Operation take_from_kernel(Capability_model const& model);
    Operation delegate(Capability_model const& model);
    Operation revoke(Capability_model const& model);
    Operation drop_capability(Capability_model const& model);
    Operation lookup(Capability_model const& model);
    Operation translate(Capability_model const& model);

    // Parameters.
    Space_type pick_type();
    Object_id pick_pd(Capability_model const& model);
    mword root_cap_of(Capability_model const& model, Object_type type);
    mword key_near(Capability_model const& model, Object_id pd, Space_type type);
    mword key_anywhere(Capability_model const& model, Space_type type);
    Crd crd_near(Capability_model const& model, Object_id pd, Space_type type);
    Crd window_for(Capability_model const& model, Object_id dst, Crd send);
    unsigned pick_order();
    u8 pick_perms();
    bool keeps_root_running(Capability_model const& model, Crd crd, bool self) const;

    // Randomness.
    bool chance(double p) { return std::bernoulli_distribution{p}(rng_); }
    std::uint64_t below(std::uint64_t n)
    {
        return std::uniform_int_distribution<std::uint64_t>{0, n - 1}(rng_);
    }
    std::uint64_t any() { return rng_(); }

    std::mt19937_64 rng_;
    Focus focus_;
};

} // namespace novamodel
