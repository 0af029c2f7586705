// The environment of component code: one EC's view of the machine. Every kernel operation is a
// real hypercall frame through the machine's syscall gate (no side door into the kernel), memory
// goes through the EC's PD with page faults delivered to its exception portal, and time passes
// only when the code says so (charge).
#pragma once

#include "nova/abi.hpp"
#include "nova/utcb.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace nova {
class Ec;
}

namespace sim {

class Machine;
class Userland;

using nova::mword;

// The root PD's initial capabilities ([C14] §6.1: at the exception base of the root).
inline constexpr mword root_pd_sel = 32;
inline constexpr mword root_ec_sel = 33;
inline constexpr mword root_sc_sel = 34;

// Exception vectors that component code raises itself.
inline constexpr std::uint8_t vector_page_fault = 0xe;
// Page-fault error code bits ([C14] §7.8 passes the x86 error code through).
inline constexpr std::uint64_t pf_write = 1u << 1;
inline constexpr std::uint64_t pf_fetch = 1u << 4;

// create_ec's arguments ([C14] §2.3).
struct Ec_spec {
    mword sel;
    mword utcb; // page-aligned user address of its UTCB; 0 for a vCPU
    std::uint32_t cpu{0};
    bool global{false};
    mword sp{0};
    mword evt{0}; // base selector of its exception portals
    mword owner{root_pd_sel};
};

struct Sc_time {
    nova::Status status;
    std::uint64_t us; // consumed time, valid with success
};

class Env {
  public:
    Env(Machine& machine, nova::Ec& ec) : machine_{machine}, ec_{ec} {}

    nova::Ec& ec() const { return ec_; }
    std::uint32_t cpu() const;
    nova::Utcb& utcb() const;
    Machine& machine() const { return machine_; }
    Userland& userland() const;

    // --- Hypercalls ([C14] §2.3); `owner` is the PD that will own the new object ----------
    nova::Status create_pd(mword sel, nova::Crd caps = {}, mword owner = root_pd_sel);
    nova::Status create_ec(Ec_spec const& spec);
    nova::Status create_sc(mword sel, mword ec, nova::Qpd qpd, mword owner = root_pd_sel);
    nova::Status create_pt(mword sel, mword ec, mword ip, mword mtd = 0, mword owner = root_pd_sel);
    nova::Status create_sm(mword sel, std::uint64_t count = 0, mword owner = root_pd_sel);
    nova::Status revoke(nova::Crd crd, bool self = false);
    nova::Crd lookup(nova::Crd crd);
    // The reply's untyped words are in this EC's UTCB afterwards (word(), words()).
    nova::Status call(mword pt, bool nonblocking = false);
    nova::Status ec_ctrl(mword ec);
    Sc_time sc_ctrl(mword sc);
    nova::Status pt_ctrl(mword pt, mword pid);
    nova::Status sm_up(mword sm);
    // `deadline` is an absolute TSC value of this CPU (0: none).
    nova::Status sm_down(mword sm, bool zero = false, std::uint64_t deadline = 0);
    // Any frame, as `syscall` would deliver it; outputs come back in it.
    void syscall(nova::Sys_regs& frame);
    // The frame `syscall` delivers for hypercall `h` of this EC, before its other arguments.
    nova::Sys_regs frame(nova::Hypercall h, mword sel, std::uint8_t flags = 0) const;

    // --- The message in the UTCB ------------------------------------------------------------
    void set_words(std::initializer_list<mword> words);
    mword word(std::size_t i) const;
    std::size_t words() const;
    // Typed items after the untyped words ([C14] §3.4).
    void add_delegate(nova::Crd crd, mword hotspot = 0, mword flags = 0);
    void add_translate(nova::Crd crd);
    void set_receive_window(nova::Crd window);
    // In a STARTUP or exception handler: the reply makes the EC continue at `ip` with `sp`.
    void resume_at(mword ip, mword sp);

    // --- Time -------------------------------------------------------------------------------
    std::uint64_t tsc() const;
    // Component work takes `cycles` of this CPU's time; other CPUs may catch up here.
    void charge(std::uint64_t cycles);

    // --- Memory through this EC's PD ----------------------------------------------------------
    // A missing or insufficient mapping raises a page fault at this EC's portal evt+0xe and
    // retries once it is handled; if the EC is killed instead, its code unwinds.
    void read(std::uint64_t addr, void* dst, std::size_t size);
    void write(std::uint64_t addr, void const* src, std::size_t size);
    template <typename T> T load(std::uint64_t addr)
    {
        T value{};
        read(addr, &value, sizeof value);
        return value;
    }
    template <typename T> void store(std::uint64_t addr, T const& value)
    {
        write(addr, &value, sizeof value);
    }

    // A host exception of this EC's code: returns when its handler replied; unwinds this EC's
    // code (throws Ec_killed) when the kernel killed the EC instead.
    void raise(std::uint8_t vector, std::uint64_t error_code = 0, std::uint64_t addr = 0);

  private:
    nova::Status status_of(nova::Sys_regs& frame);
    void add_item(nova::Crd crd, mword flags);

    Machine& machine_;
    nova::Ec& ec_;
};

} // namespace sim
