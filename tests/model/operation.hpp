// One step of a capability program: a hypercall of the root EC, or a direct call of the kernel's
// delegation engine (what IPC typed items will do). Each has a one-line text form, so a failing
// sequence prints as something a person can read and replay.
#pragma once

#include "capability_model.hpp"

#include <array>
#include <string>
#include <variant>
#include <vector>

namespace novamodel {

// A hypercall made by an EC of PD `pd` (none: the root EC, in the root PD).
struct Hypercall_op {
    Hypercall_args args;
    std::optional<Object_id> pd{};
};

// Kernel::delegate(src, dst, item).
struct Delegate_op {
    Object_id src{};
    Object_id dst{};
    Delegate_item item;
};

// Kernel::revoke(pd, crd, self): what the revoke hypercall does, for a PD other than the root's.
struct Revoke_op {
    Object_id pd{};
    Crd crd{};
    bool self{false};
};

// Kernel::lookup(pd, crd).
struct Lookup_op {
    Object_id pd{};
    Crd crd{};
};

// Kernel::translate(src, dst, crd, window).
struct Translate_op {
    Object_id src{};
    Object_id dst{};
    Crd crd{};
    Crd window{};
};

using Operation = std::variant<Hypercall_op, Delegate_op, Revoke_op, Lookup_op, Translate_op>;

// Applies the operation to the model.
Outcome apply(Capability_model& model, Operation const& op);
// Whether the operation may change capabilities (delegate, revoke, create_*, revoke hypercall).
bool writes(Operation const& op);
// The outcome of an operation that does not write, from a model it leaves as it is.
Outcome apply_reading(Capability_model const& model, Operation const& op);

// At most two PDs, held in place: the fuzzer asks before every operation it follows.
struct Named_pds {
    std::array<Object_id, 2> ids{};
    std::size_t count{0};
    Object_id const* begin() const { return ids.data(); }
    Object_id const* end() const { return ids.data() + count; }
};

// The PDs an operation names (for a hypercall, the caller's PD when it is not the root's).
Named_pds pds_named_by(Operation const& op);

std::string describe(Operation const& op);
std::string describe(Crd crd);
std::string describe(Outcome const& outcome);
std::string describe(Space_type type);
std::string describe(Object_type type);
std::string hex(mword value);

} // namespace novamodel
