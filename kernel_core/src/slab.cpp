#include "nova/slab.hpp"

#include "nova/assert.hpp"

namespace nova {

// Header at the start of every slab page; the objects follow it.
struct Slab_cache::Slab {
    Slab_cache* cache;
    Slab* prev;
    Slab* next;
    void* free_list;
    usize free_count;
};

namespace {
constexpr usize align_up(usize v, usize a)
{
    return (v + a - 1) & ~(a - 1);
}
constexpr usize header_size = align_up(sizeof(void*) * 5, 16);
} // namespace

Slab_cache::Slab_cache(Platform& platform, usize object_size)
    : platform_{platform}, size_{align_up(object_size, 8)}, per_page_{(page_size - header_size) /
                                                                      align_up(object_size, 8)}
{
    nova_assert(per_page_ > 0);
}

Slab_cache::Slab* Slab_cache::grow()
{
    void* page = platform_.alloc_page();
    if (page == nullptr) return nullptr;
    ++pages_;
    auto* slab = static_cast<Slab*>(page);
    *slab = Slab{this, nullptr, nullptr, nullptr, per_page_};
    auto* first = static_cast<u8*>(page) + header_size;
    for (usize i = per_page_; i-- > 0;) {
        void* object = first + i * size_;
        *static_cast<void**>(object) = slab->free_list;
        slab->free_list = object;
    }
    link(slab);
    return slab;
}

void Slab_cache::link(Slab* slab)
{
    slab->prev = nullptr;
    slab->next = partial_;
    if (partial_ != nullptr) partial_->prev = slab;
    partial_ = slab;
}

void Slab_cache::unlink(Slab* slab)
{
    if (slab->prev != nullptr) slab->prev->next = slab->next;
    if (slab->next != nullptr) slab->next->prev = slab->prev;
    if (partial_ == slab) partial_ = slab->next;
}

void* Slab_cache::alloc()
{
    Slab* slab = partial_ != nullptr ? partial_ : grow();
    if (slab == nullptr) return nullptr;
    void* object = slab->free_list;
    nova_assert(object != nullptr); // a slab on the partial list has room
    slab->free_list = *static_cast<void**>(object);
    if (--slab->free_count == 0) unlink(slab);
    ++in_use_;
    fill_bytes(object, 0, size_);
    return object;
}

void Slab_cache::free(void* object)
{
    auto* slab = reinterpret_cast<Slab*>(reinterpret_cast<mword>(object) & ~(page_size - 1));
    nova_assert(slab->cache == this && in_use_ > 0);
    *static_cast<void**>(object) = slab->free_list;
    slab->free_list = object;
    --in_use_;
    if (++slab->free_count == 1) link(slab);
    // An empty page goes back to the platform unless it is the only one with room.
    if (slab->free_count == per_page_ && (slab->prev != nullptr || slab->next != nullptr)) {
        unlink(slab);
        platform_.free_page(slab);
        --pages_;
    }
}

} // namespace nova
