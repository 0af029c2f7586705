// Directed tests of the reference model and the lockstep runner: boot states agree, a scripted
// cascade agrees step by step, and the comparison does catch a kernel that differs.
#include "lockstep_runner.hpp"

#include <gtest/gtest.h>

namespace novamodel {
namespace {

namespace perm = nova::perm;
using nova::Hypercall;

Crd obj(mword base, u8 order = 0, u8 perms = perm::all)
{
    return Crd{Space_type::obj, base, order, perms};
}
Crd mem(mword base, u8 order = 0, u8 perms = perm::all)
{
    return Crd{Space_type::mem, base, order, perms};
}

Hypercall_op root_call(Hypercall call, mword sel, mword rsi = 0, mword rdx = 0, u8 flags = 0)
{
    Hypercall_args args;
    args.call = call;
    args.flags = flags;
    args.sel = sel;
    args.rsi = rsi;
    args.rdx = rdx;
    return Hypercall_op{args};
}

class Lockstep : public ::testing::Test {
  protected:
    void step(Operation const& op)
    {
        Step_result result = runner_.step(op);
        EXPECT_TRUE(result.agrees()) << describe(op) << "\n" << result.difference;
    }
    Object_id root_object_at(mword sel) const
    {
        return static_cast<Object_id>(
            model().space(model().root_pd(), Space_type::obj).find(sel)->resource);
    }
    Capability_model const& model() const { return runner_.model(); }

    Lockstep_runner runner_{Lockstep_config{}};
};

TEST(Model_boot, AgreesWithTheKernelInEveryConfiguration)
{
    for (Lockstep_config config : {Lockstep_config{1, 10, false}, Lockstep_config{4, 26, true},
                                   Lockstep_config{64, 12, false}}) {
        Lockstep_runner runner{config};
        EXPECT_EQ(runner.boot_difference(), "") << "cpus " << config.cpus;
    }
}

// Every capability derives from its creator's, so a PD outlives the root's capability only
// through an EC in it. When that EC goes, the PD goes, and so does what others derived from it.
TEST_F(Lockstep, PdDestructionCascadesThroughTheEcThatHeldIt)
{
    mword const root_pd_sel = Capability_model::sel_exc;
    step(root_call(Hypercall::create_pd, 40, root_pd_sel));
    step(root_call(Hypercall::create_pd, 41, root_pd_sel));
    Object_id a = root_object_at(40), b = root_object_at(41);
    step(root_call(Hypercall::create_ec, 42, 40, 0x5000));
    step(Delegate_op{
        model().root_pd(), model().root_pd(), {mem(0, 4), mem(0x100, 4), 0, false, false, true}});
    step(Delegate_op{model().root_pd(), a, {mem(0x100, 4), mem(0x200, 4)}});
    step(Delegate_op{a, b, {mem(0x204, 2), mem(0x10, 2)}});
    step(Revoke_op{model().root_pd(), obj(40), true});
    EXPECT_TRUE(model().is_pd(a)) << "the EC holds its PD";
    step(Translate_op{b, a, mem(0x11), mem(0, 31)});
    step(root_call(Hypercall::revoke, 0, obj(42).raw(), 0, nova::flag::revoke_self));
    EXPECT_FALSE(model().is_pd(a));
    EXPECT_TRUE(model().space(b, Space_type::mem).mappings().empty());
}

TEST_F(Lockstep, ReportsAKernelThatDiffersFromTheModel)
{
    nova::Delegation behind_the_back{mem(0, 2), mem(0x40, 2), 0, false, false, true};
    runner_.kernel().delegate(runner_.kernel().root_pd(), runner_.kernel().root_pd(),
                              behind_the_back);
    Step_result result = runner_.step(Lookup_op{model().root_pd(), mem(0x40)});
    EXPECT_FALSE(result.agrees());
    EXPECT_NE(result.difference.find("only in kernel"), std::string::npos) << result.difference;
    EXPECT_NE(result.difference.find("outcome"), std::string::npos) << result.difference;
}

TEST_F(Lockstep, RefusesToStopTheRoot)
{
    Revoke_op root_sc{model().root_pd(), obj(Capability_model::sel_exc + 2), true};
    EXPECT_THROW(runner_.step(root_sc), std::invalid_argument);
}

TEST_F(Lockstep, RefusesAHypercallTheModelLeavesOut)
{
    EXPECT_THROW(runner_.step(root_call(Hypercall::sm_ctrl, 0)), std::invalid_argument);
}

} // namespace
} // namespace novamodel
