#include "choices.hpp"

#include "nova/utcb.hpp"

#include <array>

namespace fuzz {

namespace {

using nova::Crd;

// Selectors worth naming by number: the root's own, the kernel's idle SCs and interrupt
// semaphores, the first named one, the edge of a 26-bit space (and past it: it wraps), and the
// runner's own.
constexpr std::array<std::uint64_t, 12> numbered{
    0, 1, 32, 33, 34, 64, 0x400, 0x3ff'ffff, 1ull << 26, 0x10'0000, 0x18'0000, 0x20'001e};

constexpr std::array<std::uint64_t, 6> memory_bases{0, 0x1, 0x100, 0x200, 0x1000, 0x7ffff};
constexpr std::array<std::uint64_t, 5> port_bases{0, 0x60, 0x3f8, 0x400, 0xffff};

} // namespace

hcl::Named_value Choices::selector(Resources kinds)
{
    std::size_t names = scope_.count(kinds);
    if (names == 0 || random_.one_in(swarm_.numbered_one_in)) return {number_selector(), {}};
    return {0, scope_.nth(kinds, random_.below(names))};
}

std::uint64_t Choices::number_selector()
{
    if (random_.one_in(4)) return random_.below(0x500);
    return random_.pick(numbered);
}

std::uint8_t Choices::rights(std::uint8_t all)
{
    if (!random_.one_in(swarm_.masked_one_in)) return all;
    return static_cast<std::uint8_t>(random_.below(32) & all);
}

hcl::Named_value Choices::object_crd(std::uint8_t order)
{
    hcl::Named_value base = selector(any_resource);
    base.value = Crd{Crd::Type::obj, base.value, order, rights(nova::perm::all)}.raw();
    return base;
}

hcl::Named_value Choices::crd()
{
    auto order =
        static_cast<std::uint8_t>(random_.one_in(6) ? random_.below(32) : random_.below(3));
    switch (random_.below(10)) {
    case 0:
        return {random_.one_in(4) ? random_.next() & ~std::uint64_t{3} : 0, {}};
    case 1:
    case 2:
        return {Crd{Crd::Type::mem, random_.pick(memory_bases) + random_.below(16), order,
                    rights(nova::perm::all)}
                    .raw(),
                {}};
    case 3:
        return {Crd{Crd::Type::pio, random_.pick(port_bases), order, rights(nova::perm::all)}.raw(),
                {}};
    default:
        return object_crd(order);
    }
}

hcl::Named_value Choices::window()
{
    auto order = static_cast<std::uint8_t>(random_.below(random_.one_in(4) ? 27 : 5));
    switch (random_.below(8)) {
    case 0:
        return {0, {}};
    case 1:
        return {Crd{Crd::Type::mem, random_.below(0x800), order, nova::perm::all}.raw(), {}};
    case 2:
        return {Crd{Crd::Type::pio, random_.pick(port_bases), order, nova::perm::all}.raw(), {}};
    default:
        break;
    }
    hcl::Named_value slot = selector(of(Resource::slot));
    slot.value = Crd{Crd::Type::obj, slot.value, order, rights(nova::perm::all)}.raw();
    return slot;
}

std::uint64_t Choices::cpu()
{
    return random_.one_in(12) ? random_.between(4, 4095) : random_.below(4);
}

std::uint64_t Choices::utcb()
{
    if (random_.one_in(12)) return 0; // a vCPU: BAD_FTR without VMX
    if (random_.one_in(16)) return nova::user_addr - random_.below(2) * nova::page_size;
    return random_.between(1, 64) * nova::page_size;
}

std::uint64_t Choices::prio()
{
    if (random_.one_in(10)) return random_.pick(std::array<std::uint64_t, 3>{0, 128, 255});
    return random_.between(1, 20);
}

std::uint64_t Choices::quantum()
{
    return random_.one_in(12) ? 0 : random_.between(1, 5000);
}

std::uint64_t Choices::deadline()
{
    return random_.one_in(6) ? 0 : random_.below(200'000);
}

std::uint64_t Choices::word()
{
    return random_.one_in(3) ? random_.next() : random_.below(100);
}

std::vector<std::uint64_t> Choices::words()
{
    std::vector<std::uint64_t> words(random_.below(4));
    for (std::uint64_t& w : words) w = word();
    return words;
}

hcl::Typed_item Choices::item()
{
    hcl::Typed_item item{};
    item.translate = random_.one_in(4);
    hcl::Named_value value = crd();
    item.crd = value.value;
    item.base_name = value.name;
    if (item.translate) return item;
    if (random_.one_in(4)) item.hotspot = random_.below(0x400);
    if (random_.one_in(6)) item.flags |= nova::item::from_kernel;
    if (random_.one_in(10)) item.flags |= nova::item::dma;
    if (random_.one_in(10)) item.flags |= nova::item::guest;
    return item;
}

std::vector<hcl::Typed_item> Choices::items()
{
    std::vector<hcl::Typed_item> items(random_.below(random_.one_in(3) ? 4 : 2));
    for (hcl::Typed_item& it : items) it = item();
    return items;
}

} // namespace fuzz
