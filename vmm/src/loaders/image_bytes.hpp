// Reading little-endian fields out of an untrusted image: every read is bounds-checked by the
// caller through fits().
#pragma once

#include "vmm/types.hpp"

#include <span>

namespace vmm::image {

// [offset, offset + size) lies inside the image, without overflow.
inline bool fits(std::span<u8 const> image, u64 offset, u64 size)
{
    return offset <= image.size() && size <= image.size() - offset;
}

inline u64 little_endian(std::span<u8 const> image, u64 offset, unsigned bytes)
{
    u64 value = 0;
    for (unsigned i = bytes; i-- > 0;) value = value << 8 | image[offset + i];
    return value;
}

inline u16 le16(std::span<u8 const> image, u64 offset)
{
    return static_cast<u16>(little_endian(image, offset, 2));
}

inline u32 le32(std::span<u8 const> image, u64 offset)
{
    return static_cast<u32>(little_endian(image, offset, 4));
}

inline u64 le64(std::span<u8 const> image, u64 offset)
{
    return little_endian(image, offset, 8);
}

} // namespace vmm::image
