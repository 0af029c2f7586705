// Whether /dev/kvm can run novasim's vCPUs here, and if not, why — in one line that tests print
// when they skip and the command line prints before it falls back.
#pragma once

#include <string>

namespace kvm {

struct Probe {
    bool usable{false};
    std::string reason; // one line: what works, or what is missing
};

// Opens /dev/kvm (or NOVASIM_KVM_DEVICE), checks the API version and the capabilities the shim
// needs. NOVASIM_KVM=off makes it report unusable, to exercise the fallbacks.
Probe probe();

} // namespace kvm
