// A booted machine and a terse way to make hypercalls as the root EC. Every hypercall is
// followed by the invariant checker, so every test also tests the invariants.
#pragma once

#include "nova/kernel.hpp"
#include "sim/machine.hpp"

#include <gtest/gtest.h>

namespace novatest {

using namespace nova;

inline constexpr mword root_pd_sel = Kernel::sel_exc + 0;
inline constexpr mword root_ec_sel = Kernel::sel_exc + 1;
inline constexpr mword root_sc_sel = Kernel::sel_exc + 2;

struct Args {
    u64 rsi{}, rdx{}, rax{}, r8{};
    u8 flags{};
};

class Kernel_test : public ::testing::Test {
  protected:
    explicit Kernel_test(sim::Machine_config const& config = {}) : machine_{config}
    {
        EXPECT_EQ(machine_.boot_status(), Status::success);
        expect_invariants();
    }

    Kernel& kernel() { return machine_.kernel(); }
    Pd& root() { return kernel().root_pd(); }

    Status hypercall(Hypercall h, mword sel, Args const& a = {})
    {
        regs_ = Sys_regs{};
        regs_.rdi = Sys_regs::word(h, a.flags, sel);
        regs_.rsi = a.rsi;
        regs_.rdx = a.rdx;
        regs_.rax = a.rax;
        regs_.r8 = a.r8;
        Status s = machine_.hypercall_as_root(regs_);
        expect_invariants();
        return s;
    }

    void expect_invariants()
    {
        Check_result c = kernel().check();
        EXPECT_TRUE(c.ok()) << "invariant broken: " << c.invariant << " at " << c.where
                            << " detail " << c.detail;
    }

    // The object a selector of the root PD names, or nullptr.
    template <typename T> T* object_at(mword sel, Pd* pd = nullptr)
    {
        Mdb_node* n = (pd != nullptr ? *pd : root()).obj.lookup(sel);
        return n == nullptr ? nullptr : object_cast<T>(reinterpret_cast<Kobject*>(n->resource()));
    }

    u8 perms_at(mword sel, Pd* pd = nullptr)
    {
        Mdb_node* n = (pd != nullptr ? *pd : root()).obj.lookup(sel);
        return n == nullptr ? 0 : n->perms();
    }

    // Copies the root's capability at `from` to `to` with only `mask` of its rights.
    void copy_cap(mword from, mword to, u8 mask)
    {
        Delegation d{Crd{Crd::Type::obj, from, 0, mask}, Crd{Crd::Type::obj, to, 0, perm::all}};
        kernel().delegate(root(), root(), d);
    }

    Status create_sm(mword sel, u64 count = 0)
    {
        return hypercall(Hypercall::create_sm, sel, {.rsi = root_pd_sel, .rdx = count});
    }
    Status create_ec(mword sel, mword utcb, u32 cpu, bool global)
    {
        return hypercall(Hypercall::create_ec, sel,
                         {.rsi = root_pd_sel, .rdx = utcb | cpu, .flags = u8(global ? 1 : 0)});
    }
    Status create_sc(mword sel, mword ec, u8 prio = 1, u64 quantum_us = 1000)
    {
        return hypercall(Hypercall::create_sc, sel,
                         {.rsi = root_pd_sel, .rdx = ec, .rax = Qpd{quantum_us, prio}.raw()});
    }
    Status create_pt(mword sel, mword ec, mword mtd = 0, mword ip = 0x1000)
    {
        return hypercall(Hypercall::create_pt, sel,
                         {.rsi = root_pd_sel, .rdx = ec, .rax = mtd, .r8 = ip});
    }
    Status create_pd(mword sel, Crd crd = Crd{})
    {
        return hypercall(Hypercall::create_pd, sel, {.rsi = root_pd_sel, .rdx = crd.raw()});
    }

    sim::Machine machine_;
    Sys_regs regs_{};
};

} // namespace novatest
