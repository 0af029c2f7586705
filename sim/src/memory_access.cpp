#include "sim/memory_access.hpp"

#include <algorithm>
#include <cstring>

namespace sim {

std::uint8_t* Memory_access::byte(std::uint64_t addr, std::uint8_t rights) const
{
    std::uint64_t page = addr >> nova::page_bits;
    auto const* node =
        kernel_.view_lookup(pd_, nova::Crd::Type::mem, nova::Kernel::View::host, page);
    if (node == nullptr || (node->perms() & rights) != rights) return nullptr;
    std::uint64_t frame = node->resource() + (page - node->base());
    if (frame >= memory_.frames()) return nullptr;
    return memory_.frame(frame) + (addr & (nova::page_size - 1));
}

// Copies page by page, because consecutive virtual pages need not be consecutive frames.
template <typename Copy>
std::optional<Memory_fault> Memory_access::access(std::uint64_t addr, std::size_t size, bool write,
                                                  Copy copy) const
{
    std::uint8_t rights = write ? nova::perm::mem_w : nova::perm::mem_r;
    std::size_t done = 0;
    while (done < size) {
        std::uint64_t at = addr + done;
        std::uint8_t* host = byte(at, rights);
        if (host == nullptr) return Memory_fault{at, write};
        std::size_t chunk = std::min<std::size_t>(size - done, nova::page_size - (at & 0xfff));
        copy(host, done, chunk);
        done += chunk;
    }
    return std::nullopt;
}

std::optional<Memory_fault> Memory_access::read(std::uint64_t addr, void* dst,
                                                std::size_t size) const
{
    auto* out = static_cast<std::uint8_t*>(dst);
    return access(addr, size, false, [out](std::uint8_t* host, std::size_t off, std::size_t n) {
        std::memcpy(out + off, host, n);
    });
}

std::optional<Memory_fault> Memory_access::write(std::uint64_t addr, void const* src,
                                                 std::size_t size) const
{
    auto const* in = static_cast<std::uint8_t const*>(src);
    return access(addr, size, true, [in](std::uint8_t* host, std::size_t off, std::size_t n) {
        std::memcpy(host, in + off, n);
    });
}

} // namespace sim
