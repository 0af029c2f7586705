// The simulated machine's physical memory: one host allocation that the machine owns. Frame n
// is the 4 KiB at byte offset n * 4096. The top of it is reserved for the kernel (the HIP's
// "hypervisor" region) and handed out page by page through the platform interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sim {

class Physical_memory {
  public:
    Physical_memory(std::uint64_t ram_bytes, std::uint64_t kernel_bytes);
    ~Physical_memory();
    Physical_memory(Physical_memory const&) = delete;
    Physical_memory& operator=(Physical_memory const&) = delete;

    std::uint64_t size() const { return size_; }
    std::uint64_t frames() const { return size_ >> 12; }
    // First frame of the kernel's region; frames below it are RAM for users.
    std::uint64_t kernel_first_frame() const { return kernel_first_; }
    std::uint8_t* frame(std::uint64_t n) const { return base_ + (n << 12); }
    std::uint64_t frame_of(void const* p) const;
    bool contains(void const* p) const;

  private:
    std::uint8_t* base_;
    std::uint64_t size_;
    std::uint64_t kernel_first_;
};

} // namespace sim
