// Boot as [C14] does it: root objects at EXC+0..2, the HIP, the kernel's own spaces.
#include "kernel_fixture.hpp"

#include <cstring>

namespace novatest {
namespace {

class Boot : public Kernel_test {};

TEST_F(Boot, RootObjectsSitAtExcPlusZeroToTwo)
{
    EXPECT_EQ(object_at<Pd>(root_pd_sel), &kernel().root_pd());
    EXPECT_EQ(object_at<Ec>(root_ec_sel), &kernel().root_ec());
    EXPECT_EQ(object_at<Sc>(root_sc_sel), &kernel().root_sc());
    EXPECT_EQ(perms_at(root_pd_sel), perm::all);
    EXPECT_EQ(perms_at(root_ec_sel), initial_perm::ec);
    EXPECT_EQ(perms_at(root_sc_sel), initial_perm::sc);
    EXPECT_EQ(kernel().root_pd().obj.lookup(0), nullptr) << "exception selectors start empty";
}

TEST_F(Boot, RootScHasPriorityOneAndTenMillisecondQuantum)
{
    Sc& sc = kernel().root_sc();
    EXPECT_EQ(sc.prio, 1);
    EXPECT_EQ(sc.quantum_us, 10'000u);
    EXPECT_EQ(sc.quantum_tsc, 10'000u * 2'000u) << "2 GHz default TSC";
    EXPECT_EQ(sc.ec, &kernel().root_ec());
}

TEST_F(Boot, RootEcIsGlobalWithUtcbBelowHipAndStackAtHip)
{
    Ec& ec = kernel().root_ec();
    EXPECT_TRUE(ec.global);
    EXPECT_FALSE(ec.is_vcpu());
    EXPECT_EQ(ec.utcb_addr, root_utcb_addr);
    EXPECT_EQ(ec.sp, hip_addr);
    EXPECT_EQ(ec.cpu, 0u);
    Mdb_node* utcb = root().mem.lookup(root_utcb_addr >> page_bits);
    ASSERT_NE(utcb, nullptr);
    EXPECT_EQ(utcb->perms(), perm::mem_r | perm::mem_w);
}

TEST_F(Boot, HipDescribesTheSimulatedMachine)
{
    Hip const& hip = kernel().hip();
    EXPECT_EQ(hip.signature, 0x41564f4eu);
    EXPECT_EQ(hip.api_ver, 7u);
    EXPECT_EQ(hip.sel_num, 1u << 26);
    EXPECT_EQ(hip.sel_exc, 32u);
    EXPECT_EQ(hip.sel_vmi, 256u);
    EXPECT_EQ(hip.sel_gsi, 128u);
    EXPECT_EQ(hip.freq_tsc, 2'000'000u);
    EXPECT_EQ(hip.api_flg & Hip::feature_vmx, 0u);
    EXPECT_EQ(hip.cpu_offs, 0x38);
    EXPECT_EQ(hip.cpu_size, 8);
    for (unsigned cpu = 0; cpu < Hip::max_cpus; ++cpu) {
        EXPECT_EQ(hip.cpu_online(cpu), cpu < 4) << "cpu " << cpu;
    }
}

TEST_F(Boot, HipMemoryMapMatchesThePlatform)
{
    Hip const& hip = kernel().hip();
    ASSERT_EQ(hip.mem_count(), 2u);
    Hip_mem const* mem = hip.mem_desc();
    sim::Physical_memory& phys = machine_.memory();
    u64 kernel_base = phys.kernel_first_frame() << page_bits;
    EXPECT_EQ(mem[0].addr, 0u);
    EXPECT_EQ(mem[0].size, kernel_base);
    EXPECT_EQ(mem[0].type, Hip_mem::ram);
    EXPECT_EQ(mem[1].addr, kernel_base);
    EXPECT_EQ(mem[1].type, Hip_mem::hypervisor);
}

TEST_F(Boot, HipChecksumMakesTheSixteenBitSumZero)
{
    Hip const& hip = kernel().hip();
    EXPECT_EQ(hip.sum(), 0);
    alignas(Hip) unsigned char page[4096];
    std::memcpy(page, &hip, sizeof page);
    reinterpret_cast<Hip*>(page)->freq_tsc += 1;
    EXPECT_NE(reinterpret_cast<Hip*>(page)->sum(), 0) << "a changed field breaks the checksum";
}

TEST_F(Boot, HipIsMappedReadOnlyBelowUserAddr)
{
    Mdb_node* node = root().mem.lookup(hip_addr >> page_bits);
    ASSERT_NE(node, nullptr);
    EXPECT_EQ(node->perms(), perm::mem_r);
    EXPECT_EQ(node->resource(), machine_.platform().frame_of(&kernel().hip()));
}

TEST_F(Boot, KernelSpacesHoldIdleScsInterruptSemaphoresMemoryAndPorts)
{
    Pd& k = kernel().kernel_pd();
    for (mword cpu = 0; cpu < 4; ++cpu) {
        Sc* idle = object_at<Sc>(cpu, &k);
        ASSERT_NE(idle, nullptr);
        EXPECT_EQ(idle->prio, 0);
        EXPECT_EQ(idle->cpu, cpu);
    }
    EXPECT_EQ(object_at<Sc>(4, &k), nullptr) << "only online CPUs have an idle SC";
    for (mword gsi = 0; gsi < kernel().config().gsis; ++gsi) {
        EXPECT_NE(object_at<Sm>(Hip::max_cpus + gsi, &k), nullptr) << "gsi " << gsi;
    }
    Mdb_node* ports = k.pio.lookup(0xffff);
    ASSERT_NE(ports, nullptr);
    EXPECT_EQ(ports->order(), 16);
    mword user_frames = machine_.memory().kernel_first_frame();
    EXPECT_NE(k.mem.lookup(0), nullptr);
    EXPECT_NE(k.mem.lookup(user_frames - 1), nullptr);
    EXPECT_EQ(k.mem.lookup(user_frames), nullptr) << "the kernel's own region is not delegable";
}

// The number of interrupt pins is the platform's: one I/O APIC has 24. The HIP says so, and
// the kernel makes a semaphore for each pin and no more.
class Boot_with_one_ioapic : public Kernel_test {
  protected:
    Boot_with_one_ioapic() : Kernel_test{sim::Machine_config{.gsis = 24}} {}
};

TEST_F(Boot_with_one_ioapic, HasOneSemaphorePerPin)
{
    Pd& k = kernel().kernel_pd();
    EXPECT_EQ(kernel().hip().sel_gsi, 24u);
    EXPECT_NE(object_at<Sm>(Hip::max_cpus + 23, &k), nullptr);
    EXPECT_EQ(object_at<Sm>(Hip::max_cpus + 24, &k), nullptr);
    EXPECT_EQ(kernel().live_objects(Object_type::sm), 24u);
}

class Boot_with_vmx : public Kernel_test {
  protected:
    Boot_with_vmx() : Kernel_test{sim::Machine_config{.cpus = 2, .vmx = true}} {}
};

TEST_F(Boot_with_vmx, HipAdvertisesVmxAndTheCpuCount)
{
    EXPECT_NE(kernel().hip().api_flg & Hip::feature_vmx, 0u);
    EXPECT_TRUE(kernel().hip().cpu_online(1));
    EXPECT_FALSE(kernel().hip().cpu_online(2));
}

} // namespace
} // namespace novatest
