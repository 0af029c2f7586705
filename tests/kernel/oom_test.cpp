// Kernel memory exhaustion: every creation reports OOM and leaves every object consistent.
#include "kernel_fixture.hpp"

namespace novatest {
namespace {

class Oom : public Kernel_test {
  protected:
    struct Snapshot {
        usize objects[5];
        usize nodes;
        usize pages;
        bool operator==(Snapshot const&) const = default;
    };
    Snapshot snapshot()
    {
        Snapshot s{};
        for (u8 t = 0; t < 5; ++t) s.objects[t] = kernel().live_objects(Object_type{t});
        s.nodes = kernel().live_nodes();
        s.pages = kernel().kernel_pages();
        return s;
    }
    void starve() { machine_.platform().limit_pages(0); }
    void feed() { machine_.platform().limit_pages(SIZE_MAX); }
};

TEST_F(Oom, CreateSmUntilThePoolIsEmptyThenRecover)
{
    machine_.platform().limit_pages(40);
    mword sel = 1000;
    Status s = Status::success;
    while ((s = create_sm(sel)) == Status::success) ++sel;
    EXPECT_EQ(s, Status::oom);
    EXPECT_GT(sel, 1000u + 100) << "40 pages hold many semaphores";
    EXPECT_EQ(object_at<Sm>(sel), nullptr) << "the failed creation left nothing behind";
    feed();
    EXPECT_EQ(create_sm(sel), Status::success);
}

// With no page left, a creation succeeds while its slab still has room and then fails with
// OOM; the failing call must leave no trace.
TEST_F(Oom, EveryCreationFailsCleanlyWithAnEmptyPool)
{
    ASSERT_EQ(create_ec(64, 0x10000, 0, false), Status::success);
    ASSERT_EQ(create_ec(65, 0x11000, 0, true), Status::success);
    starve();
    mword sel = 1000;
    auto until_oom = [&](char const* what, auto create) {
        for (int i = 0; i < 100'000; ++i, ++sel) {
            Snapshot before = snapshot();
            Status s = create(sel);
            if (s == Status::oom) {
                EXPECT_EQ(snapshot(), before) << what;
                EXPECT_EQ(root().obj.lookup(sel), nullptr) << what;
                return;
            }
            ASSERT_EQ(s, Status::success) << what;
        }
        ADD_FAILURE() << what << " never ran out of memory";
    };
    until_oom("create_pd", [&](mword s) { return create_pd(s); });
    until_oom("create_ec", [&](mword s) { return create_ec(s, s << page_bits, 0, false); });
    until_oom("create_sc", [&](mword s) { return create_sc(s, 65); });
    until_oom("create_pt", [&](mword s) { return create_pt(s, 64); });
    until_oom("create_sm", [&](mword s) { return create_sm(s); });
    EXPECT_EQ(root().mem.lookup(sel), nullptr) << "no stray UTCB";
}

TEST_F(Oom, EachPageLimitGivesSuccessOrACleanOom)
{
    // Walk the failure point through every allocation of a create_pd with a CRD, a create_ec
    // with a UTCB and the objects behind them.
    for (usize limit = 0; limit < 24; ++limit) {
        Snapshot before = snapshot();
        machine_.platform().limit_pages(limit);
        mword base = 2000 + limit * 16;
        Status pd = create_pd(base, Crd{Crd::Type::obj, root_pd_sel, 2, perm::all});
        Status ec = hypercall(Hypercall::create_ec, base + 1,
                              {.rsi = root_pd_sel, .rdx = 0x100000 + limit * 0x1000});
        EXPECT_TRUE(pd == Status::success || pd == Status::oom) << limit;
        EXPECT_TRUE(ec == Status::success || ec == Status::oom) << limit;
        if (pd == Status::oom && ec == Status::oom) {
            Snapshot after = snapshot();
            EXPECT_EQ(after.nodes, before.nodes) << limit;
            EXPECT_EQ(after.objects[0], before.objects[0]) << limit;
            EXPECT_EQ(after.objects[1], before.objects[1]) << limit;
        }
        feed();
    }
}

} // namespace
} // namespace novatest
