// Which kernel object each model object is. Objects are bound when they first appear (at boot, or
// found through a capability after a create hypercall) and forgotten when the model says they
// died, since the kernel's slab may hand the same address to a later object.
#pragma once

#include "model_space.hpp"
#include "nova/ec.hpp"

#include <map>
#include <optional>
#include <unordered_map>

namespace novamodel {

class Object_binding {
  public:
    // False (and no change) when either side is already bound to something else.
    bool bind(Object_id id, nova::Kobject* object)
    {
        if (to_kernel_.count(id) != 0 || to_model_.count(object) != 0) return false;
        to_kernel_.emplace(id, object);
        to_model_.emplace(object, id);
        if (auto* ec = nova::object_cast<nova::Ec>(object)) ecs_.emplace(id, ec);
        return true;
    }

    void forget(Object_id id)
    {
        auto found = to_kernel_.find(id);
        if (found == to_kernel_.end()) return;
        to_model_.erase(found->second);
        to_kernel_.erase(found);
        ecs_.erase(id);
    }

    nova::Kobject* kernel_object(Object_id id) const
    {
        auto found = to_kernel_.find(id);
        return found == to_kernel_.end() ? nullptr : found->second;
    }

    std::optional<Object_id> model_id(nova::Kobject const* object) const
    {
        auto found = to_model_.find(object);
        if (found == to_model_.end()) return std::nullopt;
        return found->second;
    }

    std::map<Object_id, nova::Kobject*> const& bound() const { return to_kernel_; }
    // The bound ECs alone: what execution holds is asked before every operation the fuzzer
    // follows, and most objects are not ECs.
    std::map<Object_id, nova::Ec const*> const& bound_ecs() const { return ecs_; }

  private:
    std::map<Object_id, nova::Kobject*> to_kernel_;
    std::map<Object_id, nova::Ec const*> ecs_;
    std::unordered_map<nova::Kobject const*, Object_id> to_model_; // asked once per mapping
};

} // namespace novamodel
