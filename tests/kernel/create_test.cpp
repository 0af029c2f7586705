// create_pd, create_ec, create_sc, create_pt, create_sm: success and every error path of the
// [C14] tables.
#include "kernel_fixture.hpp"

namespace novatest {
namespace {

class Create : public Kernel_test {};

constexpr mword utcb_a = 0x10000;
constexpr mword utcb_b = 0x11000;

TEST_F(Create, PdSucceedsAndInheritsTheOwnerCapabilityPermissions)
{
    EXPECT_EQ(create_pd(64), Status::success);
    EXPECT_NE(object_at<Pd>(64), nullptr);
    EXPECT_EQ(perms_at(64), perm::all);
    copy_cap(root_pd_sel, 100, perm::pd_pd | perm::pd_sm);
    EXPECT_EQ(hypercall(Hypercall::create_pd, 65, {.rsi = 100}), Status::success);
    EXPECT_EQ(perms_at(65), perm::pd_pd | perm::pd_sm);
}

TEST_F(Create, PdDelegatesTheCrdRangeToSelectorZeroOfTheNewPd)
{
    ASSERT_EQ(create_sm(70), Status::success);
    ASSERT_EQ(create_sm(71), Status::success);
    EXPECT_EQ(create_pd(64, Crd{Crd::Type::obj, 70, 1, perm::sm_up}), Status::success);
    Pd* child = object_at<Pd>(64);
    ASSERT_NE(child, nullptr);
    EXPECT_EQ(object_at<Sm>(0, child), object_at<Sm>(70));
    EXPECT_EQ(object_at<Sm>(1, child), object_at<Sm>(71));
    EXPECT_EQ(perms_at(0, child), perm::sm_up) << "rights are masked by the sender's CRD";
    EXPECT_EQ(object_at<Sm>(2, child), nullptr);
}

TEST_F(Create, PdRefusesAnOwnerThatIsNotAPd)
{
    ASSERT_EQ(create_sm(70), Status::success);
    EXPECT_EQ(hypercall(Hypercall::create_pd, 64, {.rsi = 70}), Status::bad_cap);
    EXPECT_EQ(hypercall(Hypercall::create_pd, 64, {.rsi = 999}), Status::bad_cap);
    EXPECT_EQ(object_at<Pd>(64), nullptr);
}

TEST_F(Create, PdRefusesAnOwnerWithoutThePdRight)
{
    copy_cap(root_pd_sel, 100, perm::all & ~perm::pd_pd);
    EXPECT_EQ(hypercall(Hypercall::create_pd, 64, {.rsi = 100}), Status::bad_cap);
}

TEST_F(Create, EveryCreationRefusesAnOccupiedSelector)
{
    ASSERT_EQ(create_sm(70), Status::success);
    ASSERT_EQ(create_ec(71, utcb_a, 0, false), Status::success);
    ASSERT_EQ(create_ec(72, utcb_b, 0, true), Status::success);
    EXPECT_EQ(create_pd(70), Status::bad_cap);
    EXPECT_EQ(create_ec(70, 0x12000, 0, false), Status::bad_cap);
    EXPECT_EQ(create_sc(70, 72), Status::bad_cap);
    EXPECT_EQ(create_pt(70, 71), Status::bad_cap);
    EXPECT_EQ(create_sm(70), Status::bad_cap);
    EXPECT_EQ(create_sm(root_pd_sel), Status::bad_cap);
    EXPECT_EQ(kernel().live_objects(Object_type::sm), kernel().config().gsis + 1);
}

TEST_F(Create, EcLocalAndGlobalSucceedWithTheirUtcbMapped)
{
    EXPECT_EQ(create_ec(64, utcb_a, 1, false), Status::success);
    EXPECT_EQ(create_ec(65, utcb_b, 3, true), Status::success);
    Ec* local = object_at<Ec>(64);
    Ec* global = object_at<Ec>(65);
    ASSERT_TRUE(local && global);
    EXPECT_TRUE(local->is_local());
    EXPECT_TRUE(global->global);
    EXPECT_EQ(local->cpu, 1u);
    EXPECT_EQ(global->cpu, 3u);
    EXPECT_EQ(perms_at(64), initial_perm::ec);
    EXPECT_NE(root().mem.lookup(utcb_a >> page_bits), nullptr);
}

TEST_F(Create, EcTakesStackPointerAndEventBase)
{
    EXPECT_EQ(hypercall(Hypercall::create_ec, 64,
                        {.rsi = root_pd_sel, .rdx = utcb_a, .rax = 0x8000, .r8 = 0x200}),
              Status::success);
    Ec* ec = object_at<Ec>(64);
    ASSERT_NE(ec, nullptr);
    EXPECT_EQ(ec->sp, 0x8000u);
    EXPECT_EQ(ec->evt, 0x200u);
}

TEST_F(Create, EcRefusesAnOfflineCpu)
{
    EXPECT_EQ(create_ec(64, utcb_a, 4, false), Status::bad_cpu);
    EXPECT_EQ(create_ec(64, utcb_a, 0xfff, true), Status::bad_cpu);
    EXPECT_EQ(root().mem.lookup(utcb_a >> page_bits), nullptr) << "nothing was mapped";
}

TEST_F(Create, EcRefusesAnOwnerWithoutTheEcRight)
{
    copy_cap(root_pd_sel, 100, perm::all & ~perm::pd_ec);
    EXPECT_EQ(hypercall(Hypercall::create_ec, 64, {.rsi = 100, .rdx = utcb_a}), Status::bad_cap);
    ASSERT_EQ(create_sm(70), Status::success);
    EXPECT_EQ(hypercall(Hypercall::create_ec, 64, {.rsi = 70, .rdx = utcb_a}), Status::bad_cap);
}

TEST_F(Create, EcWithoutUtcbIsAVcpuAndNeedsVmx)
{
    EXPECT_EQ(create_ec(64, 0, 0, true), Status::bad_ftr);
    EXPECT_EQ(object_at<Ec>(64), nullptr);
}

TEST_F(Create, EcRefusesAUtcbAtOrAboveUserAddrOrAlreadyInUse)
{
    EXPECT_EQ(create_ec(64, user_addr, 0, false), Status::bad_par);
    EXPECT_EQ(create_ec(64, hip_addr, 0, false), Status::bad_par) << "the HIP page is in use";
    EXPECT_EQ(create_ec(64, root_utcb_addr, 0, false), Status::bad_par);
    ASSERT_EQ(create_ec(64, utcb_a, 0, false), Status::success);
    EXPECT_EQ(create_ec(65, utcb_a, 0, false), Status::bad_par);
}

class Create_vcpu : public Kernel_test {
  protected:
    Create_vcpu() : Kernel_test{sim::Machine_config{.vmx = true}} {}
};

TEST_F(Create_vcpu, EcWithoutUtcbIsAVcpuWhenVmxIsPresent)
{
    EXPECT_EQ(create_ec(64, 0, 0, true), Status::success);
    Ec* vcpu = object_at<Ec>(64);
    ASSERT_NE(vcpu, nullptr);
    EXPECT_TRUE(vcpu->is_vcpu());
    EXPECT_EQ(create_sc(65, 64), Status::success) << "a vCPU created with G takes an SC";
    EXPECT_EQ(create_pt(66, 64), Status::bad_cap) << "portals bind to local ECs only";
    EXPECT_EQ(create_ec(67, 0, 0, false), Status::success);
    EXPECT_EQ(create_sc(68, 67), Status::bad_cap) << "[C14] requires G for any SC";
}

TEST_F(Create, ScSucceedsOnAGlobalEc)
{
    ASSERT_EQ(create_ec(64, utcb_a, 2, true), Status::success);
    EXPECT_EQ(create_sc(65, 64, 17, 5000), Status::success);
    Sc* sc = object_at<Sc>(65);
    ASSERT_NE(sc, nullptr);
    EXPECT_EQ(sc->prio, 17);
    EXPECT_EQ(sc->quantum_us, 5000u);
    EXPECT_EQ(sc->cpu, 2u) << "an SC lives on its EC's CPU";
    EXPECT_EQ(perms_at(65), initial_perm::sc);
    EXPECT_EQ(object_at<Ec>(64)->bound_scs, 1u);
}

TEST_F(Create, ScRefusesALocalEcAndMissingRights)
{
    ASSERT_EQ(create_ec(64, utcb_a, 0, false), Status::success);
    ASSERT_EQ(create_ec(66, utcb_b, 0, true), Status::success);
    EXPECT_EQ(create_sc(65, 64), Status::bad_cap) << "local EC";
    EXPECT_EQ(create_sc(65, root_pd_sel), Status::bad_cap) << "not an EC";
    copy_cap(66, 100, perm::all & ~perm::ec_sc);
    EXPECT_EQ(create_sc(65, 100), Status::bad_cap) << "EC without bind-SC";
    copy_cap(root_pd_sel, 101, perm::all & ~perm::pd_sc);
    EXPECT_EQ(hypercall(Hypercall::create_sc, 65, {.rsi = 101, .rdx = 66, .rax = Qpd{1, 1}.raw()}),
              Status::bad_cap)
        << "PD without the SC right";
}

TEST_F(Create, ScRefusesZeroPriorityZeroQuantumAndPriorityAbove127)
{
    ASSERT_EQ(create_ec(64, utcb_a, 0, true), Status::success);
    EXPECT_EQ(create_sc(65, 64, 0, 1000), Status::bad_par);
    EXPECT_EQ(create_sc(65, 64, 1, 0), Status::bad_par);
    EXPECT_EQ(create_sc(65, 64, 128, 1000), Status::bad_par);
    EXPECT_EQ(create_sc(65, 64, 127, 1000), Status::success);
}

TEST_F(Create, PtSucceedsOnALocalEcWithMtdAndIp)
{
    ASSERT_EQ(create_ec(64, utcb_a, 0, false), Status::success);
    EXPECT_EQ(create_pt(65, 64, 0x3ff, 0x4000), Status::success);
    Pt* pt = object_at<Pt>(65);
    ASSERT_NE(pt, nullptr);
    EXPECT_EQ(pt->mtd, 0x3ffu);
    EXPECT_EQ(pt->ip, 0x4000u);
    EXPECT_EQ(pt->pid, 0u);
    EXPECT_EQ(perms_at(65), initial_perm::pt);
}

TEST_F(Create, PtRefusesAGlobalEcAndMissingRights)
{
    ASSERT_EQ(create_ec(64, utcb_a, 0, true), Status::success);
    ASSERT_EQ(create_ec(66, utcb_b, 0, false), Status::success);
    EXPECT_EQ(create_pt(65, 64), Status::bad_cap) << "global EC";
    EXPECT_EQ(create_pt(65, root_sc_sel), Status::bad_cap) << "not an EC";
    copy_cap(66, 100, perm::all & ~perm::ec_pt);
    EXPECT_EQ(create_pt(65, 100), Status::bad_cap) << "EC without bind-PT";
    copy_cap(root_pd_sel, 101, perm::all & ~perm::pd_pt);
    EXPECT_EQ(hypercall(Hypercall::create_pt, 65, {.rsi = 101, .rdx = 66}), Status::bad_cap);
}

TEST_F(Create, SmSucceedsWithItsInitialCount)
{
    EXPECT_EQ(create_sm(64, 42), Status::success);
    Sm* sm = object_at<Sm>(64);
    ASSERT_NE(sm, nullptr);
    EXPECT_EQ(sm->counter, 42u);
    EXPECT_EQ(perms_at(64), initial_perm::sm);
}

TEST_F(Create, SmRefusesAnOwnerWithoutTheSmRight)
{
    copy_cap(root_pd_sel, 100, perm::all & ~perm::pd_sm);
    EXPECT_EQ(hypercall(Hypercall::create_sm, 64, {.rsi = 100}), Status::bad_cap);
    EXPECT_EQ(hypercall(Hypercall::create_sm, 64, {.rsi = root_ec_sel}), Status::bad_cap);
}

} // namespace
} // namespace novatest
