// Fixed-size object allocator over pages that the platform hands out (design.md §2). An empty
// pool is reported as nullptr, which callers turn into Status::oom; nothing is half-built.
#pragma once

#include "platform.hpp"

namespace nova {

class Slab_cache {
  public:
    Slab_cache(Platform& platform, usize object_size);

    void* alloc();
    void free(void* object);

    usize objects_in_use() const { return in_use_; }
    usize pages_in_use() const { return pages_; }
    usize object_size() const { return size_; }
    usize objects_per_page() const { return per_page_; }

  private:
    struct Slab;

    Slab* grow();
    void link(Slab* slab);
    void unlink(Slab* slab);

    Platform& platform_;
    usize size_;
    usize per_page_;
    Slab* partial_{nullptr}; // slabs with at least one free object, doubly linked
    usize in_use_{0};
    usize pages_{0};
};

} // namespace nova
