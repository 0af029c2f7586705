#include "kvm/probe.hpp"

#include "kvm/fd.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>

namespace kvm {

namespace {

struct Needed {
    int cap;
    char const* name;
};

// What the shim relies on (kvm_shim/README.md says where): leaving KVM_RUN on a signal, state in
// the run page, MSR exits to user space, read-only memory for read-only guest mappings.
constexpr Needed needed[] = {
    {KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT"},
    {KVM_CAP_SYNC_REGS, "KVM_CAP_SYNC_REGS"},
    {KVM_CAP_X86_USER_SPACE_MSR, "KVM_CAP_X86_USER_SPACE_MSR"},
    {KVM_CAP_READONLY_MEM, "KVM_CAP_READONLY_MEM"},
    {KVM_CAP_VCPU_EVENTS, "KVM_CAP_VCPU_EVENTS"},
};

std::string open_failure(char const* path, int error)
{
    switch (error) {
    case ENOENT:
        return fmt::format("KVM unusable: {} is missing (no KVM module loaded?)", path);
    case EACCES:
    case EPERM:
        return fmt::format("KVM unusable: no permission to open {} (join group kvm)", path);
    default:
        return fmt::format("KVM unusable: cannot open {}: {}", path, std::strerror(error));
    }
}

std::string missing_capability(int kvm)
{
    for (Needed const& n : needed) {
        if (::ioctl(kvm, KVM_CHECK_EXTENSION, n.cap) <= 0)
            return fmt::format("KVM unusable: missing capability {}", n.name);
    }
    unsigned sync = static_cast<unsigned>(::ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS));
    unsigned want = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | KVM_SYNC_X86_EVENTS;
    if ((sync & want) != want) return "KVM unusable: KVM_CAP_SYNC_REGS lacks regs/sregs/events";
    return {};
}

} // namespace

Probe probe()
{
    char const* off = std::getenv("NOVASIM_KVM");
    if (off != nullptr && std::strcmp(off, "off") == 0)
        return {false, "KVM unusable: disabled by NOVASIM_KVM=off"};
    char const* path = std::getenv("NOVASIM_KVM_DEVICE");
    if (path == nullptr) path = "/dev/kvm";
    Fd kvm{::open(path, O_RDWR | O_CLOEXEC)};
    if (!kvm.valid()) return {false, open_failure(path, errno)};
    int version = ::ioctl(kvm.get(), KVM_GET_API_VERSION, 0);
    if (version != KVM_API_VERSION)
        return {false,
                fmt::format("KVM unusable: API version {} (need {})", version, KVM_API_VERSION)};
    if (std::string missing = missing_capability(kvm.get()); !missing.empty())
        return {false, missing};
    return {true, fmt::format("KVM usable: {} (API {})", path, version)};
}

} // namespace kvm
