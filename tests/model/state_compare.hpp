// Compares everything the model knows with a kernel: live objects per type, each object's type
// and reference count, and every mapping (base, order, rights, attributes, resource, parent) of
// every space of every live PD. The kernel's own pages (HIP, UTCBs) are compared as opaque: their
// place, order, rights and attributes, not the frame behind them.
#pragma once

#include "capability_model.hpp"
#include "nova/kernel.hpp"
#include "object_binding.hpp"

#include <map>
#include <string>

namespace novamodel {

// Binds objects that appeared since the last call, then compares. Returns the differences, one
// per line (at most a screenful), or an empty string when the kernel and the model agree.
// The kernel must have passed its own invariant checker; no kernel object is touched before
// the live object counts agree, so a kernel that freed an object the model keeps is reported,
// not dereferenced.
std::string compare_state(nova::Kernel& kernel, Capability_model const& model,
                          Object_binding& binding);

// References that running code holds on the bound kernel objects, which the capability model
// does not see: a call's on its callee and a blocked EC's on its semaphore, and with `flows` a
// flow's on its own EC.
std::map<nova::Kobject const*, unsigned> execution_references(Object_binding const& binding,
                                                              bool flows = true);

} // namespace novamodel
