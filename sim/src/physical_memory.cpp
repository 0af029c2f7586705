#include "sim/physical_memory.hpp"

#include <stdexcept>
#include <sys/mman.h>

namespace sim {

Physical_memory::Physical_memory(std::uint64_t ram_bytes, std::uint64_t kernel_bytes)
    : size_{ram_bytes & ~std::uint64_t{0xfff}}, kernel_first_{(size_ - kernel_bytes) >> 12}
{
    if (kernel_bytes == 0 || kernel_bytes >= size_ || (kernel_bytes & 0xfff) != 0) {
        throw std::invalid_argument("kernel region must be page-sized and smaller than RAM");
    }
    // Reserved lazily by the host: untouched frames cost nothing.
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error("cannot reserve simulated physical memory");
    base_ = static_cast<std::uint8_t*>(p);
}

Physical_memory::~Physical_memory()
{
    munmap(base_, size_);
}

bool Physical_memory::contains(void const* p) const
{
    auto const* b = static_cast<std::uint8_t const*>(p);
    return b >= base_ && b < base_ + size_;
}

std::uint64_t Physical_memory::frame_of(void const* p) const
{
    return static_cast<std::uint64_t>(static_cast<std::uint8_t const*>(p) - base_) >> 12;
}

} // namespace sim
