// The timer of the vmm_x86 scenario and its script (vmm-on-microhypervisors.md §2.4), one step
// per tick. vCPUs 1 (same CPU as the timer) and 2 (the other CPU) are paused and resumed; vCPU 1
// is also paused while it spins; vCPUs 0 and 3 stay halted throughout.
#include "vmm_x86.hpp"

#include "nova/kernel.hpp"

namespace scenarios::vmm_x86 {

using Kind = Action::Kind;

void Vmm::run_timer(sim::Env& t)
{
    for (unsigned n = 1;; ++n) {
        t.sm_down(tick_sm, false, t.tsc() + options_.tick_cycles); // TIMEOUT: the tick
        if (!tick(t, n)) return;
    }
}

void Vmm::request(sim::Env& t, unsigned vcpu, Action action)
{
    vcpus_.at(vcpu).actions.push_back(action);
    t.ec_ctrl(vcpu_base + vcpu);
}

// False after the last step.
bool Vmm::tick(sim::Env& t, unsigned n)
{
    switch (n) {
    case 1: // pause two halted vCPUs
    case 3:
        request(t, 1, {Kind::pause});
        request(t, 2, {Kind::pause});
        return true;
    case 2: // resume them where they are: both halt again (vCPU 1 with an FPU transfer)
        request(t, 1, {Kind::resume, 0, true});
        request(t, 2, {Kind::resume});
        return true;
    case 4: // resume past both HLTs (vCPU 1 then spins) and past one (vCPU 2)
        request(t, 1, {Kind::resume, 2});
        request(t, 2, {Kind::resume, 1});
        break_at_ = n + 3;
        return true;
    case 8: // resume past the loop: vCPU 1 halts at 0xff85
        request(t, 1, {Kind::resume, 2});
        return true;
    case 9: // pause once more, and that is the end
        request(t, 1, {Kind::pause});
        t.sm_up(finished_sm);
        return false;
    default:
        if (n == break_at_) { // vCPU 1 is spinning: a recall of a running vCPU
            request(t, 1, {Kind::pause});
            request(t, 2, {Kind::pause});
        }
        return true;
    }
}

} // namespace scenarios::vmm_x86
