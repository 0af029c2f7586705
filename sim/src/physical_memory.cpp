#include "sim/physical_memory.hpp"

#include <stdexcept>
#include <sys/mman.h>
#include <vector>

namespace sim {

namespace {

// Memories of this thread's machines that are gone, still mapped, for the next machine of the
// same size: the fuzzer and the tests boot thousands of machines, and faulting the kernel's
// pages in anew, then unmapping them, was most of the cost of a boot. Users' RAM goes back to
// zero-fill when a memory is kept; the kernel's region keeps its frames, since the platform
// clears every page it hands out.
class Kept_memories {
  public:
    ~Kept_memories()
    {
        for (Kept const& k : kept_) munmap(k.base, k.size);
    }

    std::uint8_t* take(std::uint64_t size)
    {
        for (auto k = kept_.begin(); k != kept_.end(); ++k) {
            if (k->size != size) continue;
            std::uint8_t* base = k->base;
            kept_.erase(k);
            return base;
        }
        return nullptr;
    }

    void keep(std::uint8_t* base, std::uint64_t size, std::uint64_t ram_bytes)
    {
        if (kept_.size() == max_kept || madvise(base, ram_bytes, MADV_DONTNEED) != 0) {
            munmap(base, size);
            return;
        }
        kept_.push_back({base, size});
    }

  private:
    struct Kept {
        std::uint8_t* base;
        std::uint64_t size;
    };
    static constexpr std::size_t max_kept = 2;
    std::vector<Kept> kept_;
};

thread_local Kept_memories kept_memories;

} // namespace

Physical_memory::Physical_memory(std::uint64_t ram_bytes, std::uint64_t kernel_bytes)
    : size_{ram_bytes & ~std::uint64_t{0xfff}}, kernel_first_{(size_ - kernel_bytes) >> 12}
{
    if (kernel_bytes == 0 || kernel_bytes >= size_ || (kernel_bytes & 0xfff) != 0) {
        throw std::invalid_argument("kernel region must be page-sized and smaller than RAM");
    }
    base_ = kept_memories.take(size_);
    if (base_ != nullptr) return;
    // Reserved lazily by the host: untouched frames cost nothing.
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error("cannot reserve simulated physical memory");
    base_ = static_cast<std::uint8_t*>(p);
}

Physical_memory::~Physical_memory()
{
    kept_memories.keep(base_, size_, kernel_first_ << 12);
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
