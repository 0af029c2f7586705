// Each KVM exit end to end, as the NOVA event of the matching VMX exit reason at its portal:
// I/O with the VMX qualification, MMIO as EPT violations with the decoded access, RDMSR/WRMSR,
// HLT; the reply's state reaching the guest; KVM calls per exit depending on the MTD.
#include "guest_vm.hpp"

namespace kvmtest {
namespace {

constexpr mword io_mtd = mtd::rip_len | mtd::qual | mtd::gpr_acdb;

TEST(KvmProbe, SaysInOneLineWhyKvmIsOrIsNotUsable)
{
    kvm::Probe p = kvm::probe();
    EXPECT_FALSE(p.reason.empty());
    EXPECT_EQ(p.reason.find('\n'), std::string::npos);
    EXPECT_EQ(p.reason.rfind(p.usable ? "KVM usable" : "KVM unusable", 0), 0u) << p.reason;
    ::setenv("NOVASIM_KVM", "off", 1);
    kvm::Probe off = kvm::probe();
    ::unsetenv("NOVASIM_KVM");
    EXPECT_FALSE(off.usable);
    EXPECT_EQ(off.reason, "KVM unusable: disabled by NOVASIM_KVM=off");
}

TEST(KvmProbe, WithoutUsableKvmAVcpuIsBadFeature)
{
    ::setenv("NOVASIM_KVM", "off", 1);
    sim::Machine_config c{};
    c.vcpu_backend = kvm::kvm_backend();
    sim::Machine m{c};
    ::unsetenv("NOVASIM_KVM");
    EXPECT_EQ(m.vcpu_backend(), nullptr);
    Env root{m, m.kernel().root_ec()};
    EXPECT_EQ(root.create_ec({.sel = 64, .utcb = 0, .global = true}), Status::bad_ftr);
}

TEST(KvmExits, EachKindReachesItsPortalAndTheReplyReachesTheGuest)
{
    NOVASIM_REQUIRE_KVM();
    Guest_vm vm{{.guest = "exits16.bin"}};
    std::vector<std::uint64_t> reported;
    vm.on(vmx::io, io_mtd, [&](Env&, Utcb_arch& a) {
        if (!(a.qual[0] & vmx::io_qual::in)) reported.push_back(a.access.data);
        if (a.qual[0] & vmx::io_qual::in) a.mtd |= mtd::gpr_acdb, a.rax = 0x77;
        skip_instruction(a);
    });
    vm.on(vmx::ept_violation, mtd::qual | mtd::rip_len, [](Env&, Utcb_arch& a) {
        a.mtd |= mtd::qual;
        a.access.data = 0x33; // the value an MMIO read gets
    });
    vm.on(vmx::rdmsr, mtd::rip_len | mtd::gpr_acdb, [](Env&, Utcb_arch& a) {
        a.mtd |= mtd::gpr_acdb;
        a.rax = 0xfeedbeef, a.rdx = 0;
        skip_instruction(a);
    });
    vm.on(vmx::wrmsr, mtd::rip_len | mtd::gpr_acdb,
          [](Env&, Utcb_arch& a) { skip_instruction(a); });
    int halts = 0;
    vm.on(vmx::hlt, mtd::rip_len | mtd::sta,
          [&halts](Env&, Utcb_arch& a) { ++halts == 1 ? skip_instruction(a) : park(a); });
    vm.start();
    vm.run();
    std::vector<mword> expected{vmx::startup, vmx::io,
                                vmx::io,      vmx::io,
                                vmx::io,      vmx::ept_violation,
                                vmx::io,      vmx::ept_violation,
                                vmx::rdmsr,   vmx::io,
                                vmx::wrmsr,   vmx::hlt,
                                vmx::io,      vmx::hlt};
    ASSERT_EQ(vm.events(), expected);
    auto const& x = vm.exits();
    EXPECT_EQ(x[1].state.qual[0], vmx::io_qual::make(1, false, 0x10));
    EXPECT_EQ(x[1].state.rip, 0x1002u); // after "mov $0x11, %al"
    EXPECT_EQ(x[1].state.inst_len, 2u); // OUT imm8
    EXPECT_EQ(x[2].state.inst_len, 1u); // OUT DX
    EXPECT_EQ(x[2].state.qual[0], vmx::io_qual::make(2, false, 0x10));
    EXPECT_EQ(x[3].state.qual[0], vmx::io_qual::make(1, true, 0x11));
    EXPECT_EQ(x[5].state.qual[1], 0xc0000u); // the guest-physical address
    EXPECT_EQ(x[5].state.qual[0] & 3, vmx::ept_qual::read);
    EXPECT_EQ(x[7].state.qual[1], 0xc0001u);
    EXPECT_EQ(x[7].state.access.data & 0xff, 0x5au);
    EXPECT_EQ(x[8].state.rcx, 0xdead0000u);
    EXPECT_EQ(x[9].state.inst_len, 2u); // 0x66 prefix + OUT DX
    EXPECT_EQ(x[10].state.rcx, 0xdead0001u);
    EXPECT_EQ(x[10].state.rax & 0xffffffff, 0x01234567u);
    EXPECT_EQ(x[10].state.rdx & 0xffffffff, 0x89abcdefu);
    EXPECT_EQ(x[11].state.inst_len, 1u);
    EXPECT_EQ(reported, (std::vector<std::uint64_t>{0x11, 0x2222, 0x77, 0x33, 0xfeedbeef, 0x99}));
}

} // namespace
} // namespace kvmtest
