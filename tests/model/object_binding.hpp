// Which kernel object each model object is. Objects are bound when they first appear (at boot, or
// found through a capability after a create hypercall) and forgotten when the model says they
// died, since the kernel's slab may hand the same address to a later object.
#pragma once

#include "model_space.hpp"
#include "nova/ec.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace novamodel {

class Object_binding {
  public:
    using Bound_ec = std::pair<Object_id, nova::Ec const*>;

    // False (and no change) when either side is already bound to something else.
    bool bind(Object_id id, nova::Kobject* object)
    {
        auto at = model_place(object);
        if (kernel_object(id) != nullptr || (at != to_model_.end() && at->first == object)) {
            return false;
        }
        if (id >= to_kernel_.size()) to_kernel_.resize(id + 1, nullptr);
        to_kernel_[id] = object;
        ++bound_;
        to_model_.insert(at, {object, id});
        if (auto* ec = nova::object_cast<nova::Ec>(object)) {
            ecs_.insert(std::upper_bound(ecs_.begin(), ecs_.end(), Bound_ec{id, ec}), {id, ec});
        }
        return true;
    }

    void forget(Object_id id)
    {
        nova::Kobject* object = kernel_object(id);
        if (object == nullptr) return;
        to_model_.erase(model_place(object));
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
        auto found = model_place(object);
        if (found == to_model_.end() || found->first != object) return std::nullopt;
        return found->second;
    }

    std::size_t bound_count() const { return bound_; }
    // One past the highest id ever bound: every bound id is below it.
    std::size_t id_limit() const { return to_kernel_.size(); }
    // The bound ECs alone, in ascending order of id: what execution holds is asked before every
    // operation the fuzzer follows, and most objects are not ECs.
    std::vector<Bound_ec> const& bound_ecs() const { return ecs_; }

  private:
    using Model_entry = std::pair<nova::Kobject const*, Object_id>;

    // Where `object`'s entry is, or would go, in the kernel-ordered table.
    std::vector<Model_entry>::const_iterator model_place(nova::Kobject const* object) const
    {
        return std::lower_bound(to_model_.begin(), to_model_.end(), object,
                                [](Model_entry const& entry, nova::Kobject const* o) {
                                    return std::less<nova::Kobject const*>{}(entry.first,
                                                                             o); // a total order
                                });
    }

    std::vector<nova::Kobject*> to_kernel_; // by model id; nullptr: not bound
    std::size_t bound_{0};
    std::vector<Bound_ec> ecs_;
    // By kernel address: a few dozen live objects, asked once per mapping compared; a sorted
    // table needs no allocation per binding, as a hash map does.
    std::vector<Model_entry> to_model_;
};

} // namespace novamodel
