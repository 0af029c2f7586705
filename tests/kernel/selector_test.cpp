// Selector bounds: the object space has sel_num selectors and selectors wrap around modulo
// sel_num ([C14] §6.2).
#include "kernel_fixture.hpp"

namespace novatest {
namespace {

class Selectors : public Kernel_test {
  protected:
    mword sel_num() { return kernel().hip().sel_num; }
};

TEST_F(Selectors, ASelectorBeyondSelNumWrapsAround)
{
    EXPECT_EQ(create_sm(sel_num() + 40), Status::success);
    EXPECT_NE(object_at<Sm>(40), nullptr);
    EXPECT_EQ(create_sm(40), Status::bad_cap) << "the same slot";
    EXPECT_EQ(hypercall(Hypercall::lookup, 0,
                        {.rsi = Crd{Crd::Type::obj, 3 * sel_num() + 40, 0, 0}.raw()}),
              Status::success);
    EXPECT_EQ(Crd{regs_.rsi}.base(), 40u);
}

TEST_F(Selectors, TheLargestSelectorInRdiWrapsToTheTopSlot)
{
    mword largest = (mword{1} << 56) - 1; // RDI bits 63:8
    EXPECT_EQ(create_sm(largest), Status::success);
    EXPECT_NE(object_at<Sm>(sel_num() - 1), nullptr);
}

TEST_F(Selectors, SelectorZeroAndTheTopSelectorAreUsable)
{
    EXPECT_EQ(create_sm(0), Status::success);
    EXPECT_EQ(create_sm(sel_num() - 1), Status::success);
    EXPECT_NE(object_at<Sm>(0), nullptr);
    EXPECT_NE(object_at<Sm>(sel_num() - 1), nullptr);
}

TEST_F(Selectors, AnOwnerSelectorWrapsToo)
{
    EXPECT_EQ(hypercall(Hypercall::create_sm, 64, {.rsi = sel_num() + root_pd_sel}),
              Status::success);
}

TEST_F(Selectors, TheObjectSpaceIsSparse)
{
    usize before = kernel().kernel_pages();
    for (mword i = 0; i < 64; ++i) ASSERT_EQ(create_sm(i * (sel_num() / 64) + 5), Status::success);
    // 64 selectors spread over 2^26 cost tables for 64 leaves, not a dense 512 MiB table.
    EXPECT_LT(kernel().kernel_pages() - before, 200u);
}

class Small_selectors : public Kernel_test {
  protected:
    Small_selectors() : Kernel_test{sim::Machine_config{.sel_bits = 12}} {}
};

TEST_F(Small_selectors, SelNumFollowsTheBootConfiguration)
{
    EXPECT_EQ(kernel().hip().sel_num, 4096u);
    EXPECT_EQ(create_sm(4096 + 77), Status::success);
    EXPECT_NE(object_at<Sm>(77), nullptr);
}

} // namespace
} // namespace novatest
