// Which kernel object each model object is. Objects are bound when they first appear (at boot, or
// found through a capability after a create hypercall) and forgotten when the model says they
// died, since the kernel's slab may hand the same address to a later object.
#pragma once

#include "model_space.hpp"
#include "nova/ec.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace novamodel {

class Object_binding {
  public:
    using Bound_ec = std::pair<Object_id, nova::Ec const*>;

    // False (and no change) when either side is already bound to something else.
    bool bind(Object_id id, nova::Kobject* object)
    {
        if (kernel_object(id) != nullptr || to_model_.count(object) != 0) return false;
        if (id >= to_kernel_.size()) to_kernel_.resize(id + 1, nullptr);
        to_kernel_[id] = object;
        ++bound_;
        to_model_.emplace(object, id);
        if (auto* ec = nova::object_cast<nova::Ec>(object)) {
            ecs_.insert(std::upper_bound(ecs_.begin(), ecs_.end(), Bound_ec{id, ec}), {id, ec});
        }
        return true;
    }

    void forget(Object_id id)
    {
        nova::Kobject* object = kernel_object(id);
        if (object == nullptr) return;
        to_model_.erase(object);
        to_kernel_[id] = nullptr;
        --bound_;
        std::erase_if(ecs_, [id](Bound_ec const& ec) { return ec.first == id; });
    }

    // Model ids are small and dense (objects are numbered in creation order), so the kernel
    // side is a table by id: the comparison asks it for every object and every capability.
    nova::Kobject* kernel_object(Object_id id) const
    {
        return id < to_kernel_.size() ? to_kernel_[id] : nullptr;
    }

    std::optional<Object_id> model_id(nova::Kobject const* object) const
    {
        auto found = to_model_.find(object);
        if (found == to_model_.end()) return std::nullopt;
        return found->second;
    }

    std::size_t bound_count() const { return bound_; }
    // One past the highest id ever bound: every bound id is below it.
    std::size_t id_limit() const { return to_kernel_.size(); }
    // The bound ECs alone, in ascending order of id: what execution holds is asked before every
    // operation the fuzzer follows, and most objects are not ECs.
    std::vector<Bound_ec> const& bound_ecs() const { return ecs_; }

  private:
    std::vector<nova::Kobject*> to_kernel_; // by model id; nullptr: not bound
    std::size_t bound_{0};
    std::vector<Bound_ec> ecs_;
    std::unordered_map<nova::Kobject const*, Object_id> to_model_; // asked once per mapping
};

} // namespace novamodel
