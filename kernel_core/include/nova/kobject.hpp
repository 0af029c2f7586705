// Base of every kernel object: its type and its reference count. A reference is either a
// mapping node in some object space or a pointer from another object (an SC to its EC, a PT to
// its EC, an EC to its PD). The object dies when the count reaches zero.
#pragma once

#include "abi.hpp"
#include "assert.hpp"

namespace nova {

class Kobject {
  public:
    Object_type type() const { return type_; }
    u32 refcount() const { return refcount_; }

    void acquire() { ++refcount_; }
    // True when this was the last reference.
    bool release()
    {
        nova_assert(refcount_ > 0);
        return --refcount_ == 0;
    }

  protected:
    explicit Kobject(Object_type type) : type_{type} {}

  private:
    friend class Kernel;
    friend class Checker;

    Object_type type_;
    u32 refcount_{0};
    u32 counted_refs_{0};      // scratch for the invariant checker
    Kobject* live_prev_{this}; // registry of live objects, owned by the Kernel
    Kobject* live_next_{this};
    Kobject* dead_next_{nullptr}; // destruction work list, so that no teardown recurses
};

// Checked downcast: nullptr when the object is absent or of another type.
template <typename T> T* object_cast(Kobject* obj)
{
    return obj != nullptr && obj->type() == T::type_id ? static_cast<T*>(obj) : nullptr;
}

} // namespace nova
