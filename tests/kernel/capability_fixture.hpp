// Two child PDs beside the root, and short forms of delegation, revoke and lookup, each followed by
// the invariant checker.
#pragma once

#include "kernel_fixture.hpp"
#include "sim/memory_access.hpp"

namespace novatest {

class Capability_test : public Kernel_test {
  protected:
    Capability_test()
    {
        EXPECT_EQ(create_pd(64), Status::success);
        EXPECT_EQ(create_pd(65), Status::success);
        a = object_at<Pd>(64);
        b = object_at<Pd>(65);
    }

    static Crd obj(mword base, u8 order = 0, u8 perms = perm::all)
    {
        return Crd{Crd::Type::obj, base, order, perms};
    }
    static Crd mem(mword page, u8 order = 0, u8 perms = perm::all)
    {
        return Crd{Crd::Type::mem, page, order, perms};
    }
    static Crd pio(mword port, u8 order = 0, u8 perms = perm::all)
    {
        return Crd{Crd::Type::pio, port, order, perms};
    }

    Crd delegate(Pd& from, Pd& to, Crd send, Crd window, Delegation flags = {})
    {
        flags.send = send;
        flags.window = window;
        Crd got = kernel().delegate(from, to, flags);
        expect_invariants();
        return got;
    }
    // Memory and ports for the root from the kernel's own spaces (the H flag).
    void give_root(Crd what) { delegate(root(), root(), what, what, {.from_kernel = true}); }

    void revoke(Pd& pd, Crd crd, bool self)
    {
        kernel().revoke(pd, crd, self);
        expect_invariants();
    }
    Crd lookup(Pd& pd, Crd crd) { return kernel().lookup(pd, crd); }
    u8 rights(Pd& pd, Crd crd) { return lookup(pd, crd).perms(); }

    sim::Memory_access memory(Pd& pd) { return {kernel(), machine_.memory(), pd}; }

    Pd* a{};
    Pd* b{};
};

} // namespace novatest
