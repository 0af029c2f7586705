// pt_ctrl, sc_ctrl, lookup on the object space, and BAD_HYP for what is not implemented yet.
#include "kernel_fixture.hpp"

namespace novatest {
namespace {

class Ctrl : public Kernel_test {};

TEST_F(Ctrl, PtCtrlSetsThePortalId)
{
    ASSERT_EQ(create_ec(64, 0x10000, 0, false), Status::success);
    ASSERT_EQ(create_pt(65, 64), Status::success);
    EXPECT_EQ(hypercall(Hypercall::pt_ctrl, 65, {.rsi = 0xdead'beef}), Status::success);
    EXPECT_EQ(object_at<Pt>(65)->pid, 0xdead'beefu);
}

TEST_F(Ctrl, PtCtrlNeedsAPortalWithTheCtrlRight)
{
    ASSERT_EQ(create_ec(64, 0x10000, 0, false), Status::success);
    ASSERT_EQ(create_pt(65, 64), Status::success);
    copy_cap(65, 100, perm::pt_call);
    EXPECT_EQ(hypercall(Hypercall::pt_ctrl, 100, {.rsi = 7}), Status::bad_cap);
    EXPECT_EQ(hypercall(Hypercall::pt_ctrl, 64, {.rsi = 7}), Status::bad_cap) << "an EC";
    EXPECT_EQ(hypercall(Hypercall::pt_ctrl, 999, {.rsi = 7}), Status::bad_cap) << "empty";
    EXPECT_EQ(object_at<Pt>(65)->pid, 0u);
}

TEST_F(Ctrl, ScCtrlReturnsConsumedMicrosecondsSplitAcrossRsiAndRdx)
{
    Sc& sc = kernel().root_sc();
    u64 us = (u64{5} << 32) + 123'456; // more than 32 bits of µs
    sc.consumed_tsc = us * 2'000;      // 2 GHz: 2000 cycles per µs
    EXPECT_EQ(hypercall(Hypercall::sc_ctrl, root_sc_sel), Status::success);
    EXPECT_EQ(regs_.rsi, 5u);
    EXPECT_EQ(regs_.rdx, 123'456u);
}

TEST_F(Ctrl, ScCtrlOfANewScIsZeroAndNeedsAnScWithTheCtrlRight)
{
    ASSERT_EQ(create_ec(64, 0x10000, 0, true), Status::success);
    ASSERT_EQ(create_sc(65, 64), Status::success);
    EXPECT_EQ(hypercall(Hypercall::sc_ctrl, 65), Status::success);
    EXPECT_EQ(regs_.rsi, 0u);
    EXPECT_EQ(regs_.rdx, 0u);
    copy_cap(65, 100, 0x1e & perm::all);
    EXPECT_EQ(perms_at(100), 0) << "an SC has only the ctrl right, so nothing was copied";
    EXPECT_EQ(hypercall(Hypercall::sc_ctrl, 100), Status::bad_cap);
    EXPECT_EQ(hypercall(Hypercall::sc_ctrl, 64), Status::bad_cap) << "an EC";
}

TEST_F(Ctrl, LookupReturnsTheFullCrdOfAnObjectCapability)
{
    ASSERT_EQ(create_sm(64), Status::success);
    EXPECT_EQ(hypercall(Hypercall::lookup, 0, {.rsi = Crd{Crd::Type::obj, 64, 0, 0}.raw()}),
              Status::success);
    EXPECT_EQ(Crd{regs_.rsi}, (Crd{Crd::Type::obj, 64, 0, initial_perm::sm}));
}

TEST_F(Ctrl, LookupOfAnEmptySelectorOrANullCrdIsNull)
{
    EXPECT_EQ(hypercall(Hypercall::lookup, 0, {.rsi = Crd{Crd::Type::obj, 500, 0, 0}.raw()}),
              Status::success);
    EXPECT_EQ(regs_.rsi, 0u);
    EXPECT_EQ(hypercall(Hypercall::lookup, 0, {.rsi = 0}), Status::success);
    EXPECT_EQ(regs_.rsi, 0u);
}

TEST_F(Ctrl, LookupDoesNotRevealKernelMappings)
{
    Crd hip{Crd::Type::mem, hip_addr >> page_bits, 0, 0};
    EXPECT_EQ(hypercall(Hypercall::lookup, 0, {.rsi = hip.raw()}), Status::success);
    EXPECT_EQ(regs_.rsi, 0u);
}

TEST_F(Ctrl, NotYetImplementedHypercallsAnswerBadHyp)
{
    for (u8 n : {0xd, 0xe, 0xf}) {
        EXPECT_EQ(hypercall(static_cast<Hypercall>(n), root_sc_sel), Status::bad_hyp)
            << "hypercall " << int{n};
    }
}

TEST_F(Ctrl, StatusReplacesAllOfRdi)
{
    EXPECT_EQ(hypercall(Hypercall::create_sm, 0x123456, {.rsi = root_pd_sel, .flags = 0xf}),
              Status::success);
    EXPECT_EQ(regs_.rdi, 0u);
    EXPECT_EQ(hypercall(Hypercall::create_sm, 0x123456, {.rsi = root_pd_sel}), Status::bad_cap);
    EXPECT_EQ(regs_.rdi, 4u);
}

} // namespace
} // namespace novatest
