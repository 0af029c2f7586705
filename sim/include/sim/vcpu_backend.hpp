// What runs vCPUs under the simulated kernel: the virtual-CPU half of nova::Platform, which the
// host platform hands to a backend — KVM (kvm_shim) or, for traces, a replay. Without a backend
// a machine with `vmx` still creates vCPUs as objects (for capability tests and the fuzzer), but
// their guests cannot run: every entry fails as invalid guest state.
#pragma once

#include "nova/platform.hpp"

namespace sim {

class Vcpu_backend {
  public:
    virtual ~Vcpu_backend() = default;

    virtual bool create(nova::Ec& vcpu) = 0;
    virtual void destroy(nova::Ec& vcpu) = 0;
    virtual nova::Vm_exit run(nova::Ec& vcpu) = 0;
    virtual void load(nova::Ec& vcpu, nova::mword mtd, nova::Utcb_arch& to) = 0;
    virtual void store(nova::Ec& vcpu, nova::mword mtd, nova::Utcb_arch const& from) = 0;
    virtual void guest_view_changed(nova::Pd& pd, nova::mword first, nova::mword count) = 0;
};

} // namespace sim
