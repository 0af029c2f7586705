// The C layout of <linux/kvm.h>'s variable-length structures. The header declares their trailing
// arrays with __DECLARE_FLEX_ARRAY, which in C++ wraps an empty struct (size 1 there, 0 in C)
// before the array: the array moves and the sizes that the request numbers encode change, so the
// kernel refuses the requests. The shim spells these structures and requests out in C's terms.
#pragma once

#include <cstdint>
#include <linux/kvm.h>
#include <vector>

namespace kvm::abi {

// Header of an MSR list (struct kvm_msrs): kvm_msr_entry[nmsrs] follows at byte 8.
struct Msr_list {
    std::uint32_t nmsrs;
    std::uint32_t pad;
};
// Header of a CPUID table (struct kvm_cpuid2): kvm_cpuid_entry2[nent] follows at byte 8.
struct Cpuid_table {
    std::uint32_t nent;
    std::uint32_t padding;
};
// struct kvm_xsave without its trailing array (KVM_GET_XSAVE moves exactly 4 KiB).
struct Xsave {
    std::uint32_t region[1024];
};

inline constexpr unsigned long get_msrs = _IOC(_IOC_READ | _IOC_WRITE, KVMIO, 0x88, 8);
inline constexpr unsigned long set_msrs = _IOC(_IOC_WRITE, KVMIO, 0x89, 8);
inline constexpr unsigned long get_supported_cpuid = _IOC(_IOC_READ | _IOC_WRITE, KVMIO, 0x05, 8);
inline constexpr unsigned long set_cpuid2 = _IOC(_IOC_WRITE, KVMIO, 0x90, 8);
inline constexpr unsigned long get_xsave = _IOC(_IOC_READ, KVMIO, 0xa4, 4096);
inline constexpr unsigned long set_xsave = _IOC(_IOC_WRITE, KVMIO, 0xa5, 4096);
inline constexpr unsigned long set_signal_mask = _IOC(_IOC_WRITE, KVMIO, 0x8b, 4);

// A header followed by `n` entries, contiguous, as the kernel reads it.
template <typename Header, typename Entry> class Variable {
  public:
    explicit Variable(std::size_t n) : bytes_(sizeof(Header) + n * sizeof(Entry)) {}
    Header& header() { return *reinterpret_cast<Header*>(bytes_.data()); }
    Entry* entries() { return reinterpret_cast<Entry*>(bytes_.data() + sizeof(Header)); }
    void* data() { return bytes_.data(); }

  private:
    std::vector<std::uint8_t> bytes_;
};

using Msrs = Variable<Msr_list, kvm_msr_entry>;
using Cpuid = Variable<Cpuid_table, kvm_cpuid_entry2>;

} // namespace kvm::abi
