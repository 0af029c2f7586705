// The VMM of the vmm_x86 scenario (internal): its state, its exit handlers and its timer.
#pragma once

#include "scenarios/vmm_x86.hpp"
#include "sim/env.hpp"
#include "sim/machine.hpp"

#include <deque>

namespace scenarios::vmm_x86 {

using nova::mword;

// What the timer asked a vCPU to do at its next RECALL: C14 has no access to a vCPU's state
// outside its exits, so every pause and every resume goes through a RECALL exit.
struct Action {
    enum class Kind : std::uint8_t { pause, resume } kind;
    mword skip{0};         // resume: advance RIP by this many bytes
    bool force_fpu{false}; // resume: transfer the FPU state although it did not change
};

enum class Vcpu_state : std::uint8_t { created, running, halted, paused };

struct Vcpu {
    Vcpu(unsigned i, std::uint32_t c, char const* h) : id{i}, cpu{c}, handler{h} {}

    unsigned id;
    std::uint32_t cpu;
    char const* handler; // "ep" or "second ep"
    unsigned exits{0};
    Vcpu_state state{Vcpu_state::created};
    std::deque<Action> actions;
    bool reported_rdtscp{false};
};

// Selectors in the root PD.
inline constexpr mword ep = 0x100, second_ep = 0x101, timer_ec = 0x102, timer_sc = 0x103;
inline constexpr mword vm_pd = 0x104, ready_sm = 0x105, finished_sm = 0x106, tick_sm = 0x107;
inline constexpr mword vcpu_base = 0x110, sc_base = 0x120;
inline constexpr mword portal_base = 0x1000; // 4 x 256 exit portals; at 0 in the VM PD
inline constexpr mword guest_frame = 0x800;  // the guest page in the machine (a boot module)
inline constexpr mword guest_page = 0xfffff; // where the guest finds it

class Vmm {
  public:
    Vmm(sim::Machine& machine, Vmm_x86_options const& options, Vmm_x86_result& result);
    void run_root(sim::Env& root);

  private:
    void create_handlers(sim::Env& root);
    void create_portals(sim::Env& root);
    void create_vm(sim::Env& root);
    void destroy_vm(sim::Env& root);
    void on_exit(sim::Env& h, unsigned vcpu, mword event);
    void startup(sim::Env& h, Vcpu& v);
    void ept_violation(sim::Env& h, Vcpu& v);
    void host_failure(sim::Env& h, Vcpu& v);
    void halt(sim::Env& h, Vcpu& v);
    void recall(sim::Env& h, Vcpu& v);
    void log(Vcpu& v, std::string const& what);
    void error(Vcpu& v, std::string const& what);
    // The timer (vmm_x86_script.cpp).
    void run_timer(sim::Env& t);
    bool tick(sim::Env& t, unsigned n);
    void request(sim::Env& t, unsigned vcpu, Action action);

    sim::Machine& machine_;
    Vmm_x86_options options_;
    Vmm_x86_result& result_;
    std::array<Vcpu, 4> vcpus_;
    unsigned break_at_{0}; // the tick at which the spinning vCPU 1 is paused
};

} // namespace scenarios::vmm_x86
