// Fixed-width types and the few language helpers the kernel needs. Freestanding: the compiler
// supplies every name used here, so no host header is included.
#pragma once

namespace nova {

using u8 = __UINT8_TYPE__;
using u16 = __UINT16_TYPE__;
using u32 = __UINT32_TYPE__;
using u64 = __UINT64_TYPE__;
using i64 = __INT64_TYPE__;
using mword = __UINTPTR_TYPE__;
using usize = __SIZE_TYPE__;

inline constexpr mword page_bits = 12;
inline constexpr mword page_size = mword{1} << page_bits;

// Tag for placement construction; a distinct overload so it never collides with <new> on a host.
struct Placement {};

template <typename T> constexpr T min(T a, T b)
{
    return a < b ? a : b;
}

// Set bits in a word; written out because __builtin_popcount may call into libgcc.
constexpr unsigned bit_count(mword v)
{
    unsigned n = 0;
    for (; v != 0; v &= v - 1) ++n;
    return n;
}
template <typename T> constexpr T max(T a, T b)
{
    return a > b ? a : b;
}

// Bytes in a word-aligned block; the compiler may lower these to memcpy/memset, which the
// freestanding contract (GCC's) requires the environment to provide.
void copy_bytes(void* dst, void const* src, usize n);
void fill_bytes(void* dst, u8 value, usize n);

} // namespace nova

inline void* operator new(__SIZE_TYPE__, nova::Placement, void* where) noexcept
{
    return where;
}
