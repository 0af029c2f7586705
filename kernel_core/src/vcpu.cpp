// vCPUs ([C14] §7): a vCPU's flow runs its guest through the platform and turns every exit into
// an implicit call to the portal at evt + reason, like a host EC's exception. The platform owns
// the architectural state; the portal's MTD says what of it the handler sees, the reply's MTD
// what the handler writes back. RECALL and parking by activity state are the kernel's own.
#include "nova/kernel.hpp"
#include "nova/mtd.hpp"
#include "nova/vmx.hpp"

namespace nova {

// After STARTUP: guest, exit, event, until the vCPU is killed. A recall is delivered before the
// next entry ([C14] §7.6); a vCPU parked by its activity state waits in settle until woken.
void Kernel::run_vcpu(Ec& self)
{
    while (!self.dead) {
        if (self.recall_pending) {
            self.recall_pending = false;
            deliver_vm_exit(self, Vm_exit{vmx::recall});
        } else {
            Vm_exit exit = platform_.vcpu_run(self);
            enter(self, config_.cost_hypercall); // the VM exit is a kernel entry
            if (exit.event != Vm_exit::none) deliver_vm_exit(self, exit);
        }
        reap();
        if (!self.dead) leave(self);
    }
}

// An exit the platform made up needs a portal to mean anything; without one it is dropped.
void Kernel::deliver_vm_exit(Ec& self, Vm_exit const& exit)
{
    if (exit.optional && event_portal(self, exit.event) == nullptr) return;
    self.qual[0] = exit.qual[0];
    self.qual[1] = exit.qual[1];
    deliver_event(self, exit.event);
}

// The handler's reply leaves the vCPU parked when it names an activity state other than active
// and injects nothing; a recall that came in meanwhile keeps it awake for its RECALL.
void Kernel::store_vcpu_event(Utcb_arch const& a, Ec& vcpu)
{
    platform_.vcpu_store(vcpu, a.mtd, a);
    bool injects = (a.mtd & mtd::inj) != 0 && (a.inj_info & vmx::inj::valid) != 0;
    bool parks = (a.mtd & mtd::sta) != 0 && a.actv_state != vmx::activity::active;
    vcpu.halted = parks && !injects && !vcpu.recall_pending;
}

// A recall wakes a parked vCPU: its SCs become ready, on its own CPU (an IPI for a remote one).
void Kernel::wake_vcpu(Ec& vcpu, u32 from_cpu)
{
    vcpu.halted = false;
    unpark_all(&vcpu, from_cpu);
}

// The guest view of a PD's memory changed where `node` maps: its vCPUs must see it.
void Kernel::note_guest_view(Mdb_node const& node)
{
    if (node.space->type != Crd::Type::mem || (node.attr() & node_attr::guest) == 0) return;
    platform_.guest_view_changed(*node.space->pd, node.base(), node.size());
}

} // namespace nova
