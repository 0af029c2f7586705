// A machine with the KVM backend and a small VMM written for the tests: one VM PD whose vCPU
// takes its exits at portals of a handler EC in the root PD. Each exit is recorded (event and
// the state the portal's MTD brought) and answered by the test's handler for that event. RAM is
// mapped in the STARTUP reply; a guest image from scenarios/guests is copied into it.
#pragma once

#include "kvm/backend.hpp"
#include "nova/mtd.hpp"
#include "nova/vmx.hpp"
#include "require_kvm.hpp"
#include "sim/env.hpp"
#include "sim/machine.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace kvmtest {

using namespace nova;
using sim::Env;

struct Exit {
    mword event;
    Utcb_arch state; // as the handler saw it (the portal's MTD)
};

struct Guest_options {
    std::string guest;          // file name in scenarios/guests (built), e.g. "exits16.bin"
    std::uint64_t load{0x1000}; // guest-physical load address and real-mode entry (CS = 0)
    std::uint64_t ram{0xc0000}; // guest RAM from 0; above it is MMIO
    std::uint32_t cpus{1};
    std::uint32_t vcpu_cpu{0};
    bool root_holds_ram{false}; // the root owns the RAM frames (so that it can revoke them)
    bool page_by_page{false};   // one mapping per page (a revoke then takes only that page)
    kvm::Backend_config backend{};
};

class Guest_vm {
  public:
    using Handler = std::function<void(Env& handler, Utcb_arch& reply)>;

    static constexpr mword first_frame = 0x1000; // guest RAM's frames in the machine
    static constexpr mword portals = 0x4000;     // exit portals in the root; 0.. in the VM PD
    static constexpr mword handler_ec = 0x100, vm_pd = 0x101, vcpu_sel = 0x102, vcpu_sc = 0x103;
    static constexpr mword wait_sm = 0x104;

    explicit Guest_vm(Guest_options options);

    // The portal for `event`: the state `mtd` names is recorded, then `handler` shapes the reply
    // (its MTD starts empty: nothing is written back unless the handler says so).
    // Before start(): the VM PD receives copies of the portals when it is created.
    void on(mword event, mword mtd, Handler handler = {});
    // Creates the VM PD, the vCPU and its SC: the vCPU starts running (STARTUP first).
    void start(std::uint8_t prio = 1, mword quantum_us = 10'000);
    // Lets the machine run for `for_cycles` of simulated time (the root waits that long in a
    // semaphore); a parked guest costs no host time. The stop's reason when the machine
    // stopped early (the watchdog), else empty.
    std::string run(std::uint64_t for_cycles = 2'000'000'000);

    sim::Machine& machine() { return *machine_; }
    Env root() { return Env{*machine_, machine_->kernel().root_ec()}; }
    kvm::Backend& backend() { return *backend_; }
    kvm::Vcpu& vcpu();
    std::vector<Exit> const& exits() const { return exits_; }
    std::vector<mword> events() const;
    // Guest RAM, for the test to look at.
    std::uint8_t* ram(std::uint64_t gpa);

  private:
    void load_guest();
    void map_ram(Env& handler);
    void set_real_mode_entry(Utcb_arch& a) const;

    Guest_options options_;
    std::unique_ptr<sim::Machine> machine_;
    kvm::Backend* backend_{nullptr};
    std::vector<Exit> exits_;
    std::map<mword, Handler> handlers_;
    bool started_{false};
};

// The kernel's invariants hold and the root can still make hypercalls.
void expect_healthy(Guest_vm& vm);

// Reply helpers.
void skip_instruction(Utcb_arch& reply);
void park(Utcb_arch& reply);

} // namespace kvmtest
