// Compares everything the model knows with a kernel: live objects per type, each object's type
// and reference count, and every mapping (base, order, rights, attributes, resource, parent) of
// every space of every live PD. The kernel's own pages (HIP, UTCBs) are compared as opaque: their
// place, order, rights and attributes, not the frame behind them.
#pragma once

#include "capability_model.hpp"
#include "flat_map.hpp"
#include "nova/kernel.hpp"
#include "object_binding.hpp"

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace novamodel {

// What the comparisons found in agreement, so that the next one walks only what changed since
// (the fuzzer compares after every hypercall, and most of the state stays as it was). A space
// agrees still when neither the kernel's nor the model's version of it moved since it last
// agreed (both count every change, see nova::Radix::version and Space::version). The objects
// agree still when no object came or went in the model and no object space was compared
// anew: their reference counts follow from the object spaces and from what the objects hold,
// and the kernel's own checker, which runs first, recounts every reference the kernel keeps.
// An empty agreement compares everything.
struct Agreement {
    struct Versions {
        nova::Space const* kernel_space{nullptr};
        std::uint64_t kernel{0}, model{0};
        bool operator==(Versions const&) const = default;
    };
    Flat_map<std::pair<Object_id, Space_type>, Versions> spaces;
    std::optional<std::uint64_t> objects; // the model's objects_version when they agreed
    std::optional<std::uint64_t> deaths;  // the model's deaths then: no dead object is bound
    std::array<std::size_t, 5> live{};    // the kernel's live objects per type then

    // Everything goes but the table's room, which the next comparison fills again.
    void forget()
    {
        Flat_map<std::pair<Object_id, Space_type>, Versions> room = std::move(spaces);
        room.clear();
        *this = {};
        spaces = std::move(room);
    }
};

// Binds objects that appeared since the last call, then compares what changed since
// `agreement` (everything when it is empty) and updates it. Returns the differences, one per
// line (at most a screenful), or an empty string when the kernel and the model agree.
// The kernel must have passed its own invariant checker; no kernel object is touched before
// the live object counts agree, so a kernel that freed an object the model keeps is reported,
// not dereferenced.
std::string compare_state(nova::Kernel& kernel, Capability_model const& model,
                          Object_binding& binding, Agreement& agreement);

// References that running code holds on the bound kernel objects, which the capability model
// does not see: a call's on its callee and a blocked EC's on its semaphore, and with `flows` a
// flow's on its own EC. By model id, for every id below the binding's id_limit(); references
// on objects the binding does not know are not counted.
using Execution_references = std::vector<unsigned>;
Execution_references execution_references(Object_binding const& binding, bool flows = true);

} // namespace novamodel
