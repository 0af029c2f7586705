// Guests in every mode the shim decodes (real, 32-bit protected, 64-bit long mode with GDT, TSS
// and IDT) and the guests that go wrong: a triple fault and an entry with invalid guest state
// are reported to the VMM with their state, and the process goes on.
#include "guest_vm.hpp"

namespace kvmtest {
namespace {

constexpr mword io_mtd = mtd::rip_len | mtd::qual | mtd::gpr_acdb | mtd::cs_ss;

// Records (port, value, instruction length) of the guest's OUTs; parks it at port 0x12.
struct Io_log {
    std::vector<std::tuple<std::uint16_t, std::uint64_t, std::uint32_t>> outs;

    void attach(Guest_vm& vm)
    {
        vm.on(vmx::io, io_mtd, [this](Env&, Utcb_arch& a) {
            outs.emplace_back(vmx::io_qual::port(a.qual[0]), a.access.data, a.inst_len);
            skip_instruction(a);
            if (vmx::io_qual::port(a.qual[0]) == 0x12) park(a);
        });
    }
};

TEST(KvmModes, ProtectedModeGuestReportsFrom32BitCode)
{
    NOVASIM_REQUIRE_KVM();
    Guest_vm vm{{.guest = "protected32.bin"}};
    Io_log log;
    log.attach(vm);
    vm.start();
    EXPECT_EQ(vm.run(), "");
    using Out = std::tuple<std::uint16_t, std::uint64_t, std::uint32_t>;
    EXPECT_EQ(log.outs,
              (std::vector<Out>{{0x10, 0x32, 2}, {0x10, 0x12345678, 1}, {0x12, 0x99, 2}}));
    EXPECT_EQ(vm.exits()[1].state.cs.sel, 0x08); // a 32-bit code segment
    EXPECT_NE(vm.exits()[1].state.cs.ar & (1u << 10), 0u);
}

TEST(KvmModes, LongModeGuestReportsAndTakesAnInterrupt)
{
    NOVASIM_REQUIRE_KVM();
    Guest_vm vm{{.guest = "long64.bin"}};
    std::vector<std::pair<std::uint16_t, std::uint64_t>> outs;
    vm.on(vmx::io, io_mtd, [&](Env&, Utcb_arch& a) {
        outs.emplace_back(vmx::io_qual::port(a.qual[0]), a.access.data);
        skip_instruction(a);
    });
    int halts = 0;
    vm.on(vmx::hlt, mtd::rip_len | mtd::rflags | mtd::efer, [&](Env&, Utcb_arch& a) {
        EXPECT_NE(a.efer & (1u << 10), 0u); // LMA: long mode is active
        skip_instruction(a);
        if (++halts > 1) return park(a);
        a.mtd |= mtd::inj;
        a.inj_info = vmx::inj::valid | vmx::inj::type_ext_int << vmx::inj::type_shift | 0x20;
    });
    vm.start();
    EXPECT_EQ(vm.run(), "");
    using Out = std::pair<std::uint16_t, std::uint64_t>;
    EXPECT_EQ(outs, (std::vector<Out>{{0x10, 0x64}, {0x10, 0x11223344}, {0x13, 1}}));
    EXPECT_EQ(vm.exits()[1].state.cs.sel, 0x18);
    EXPECT_NE(vm.exits()[1].state.cs.ar & (1u << 9), 0u); // L: 64-bit code
}

TEST(KvmFaults, ATripleFaultIsReportedWithItsStateAndTheHostGoesOn)
{
    NOVASIM_REQUIRE_KVM();
    Guest_vm vm{{.guest = "triple32.bin"}};
    vm.on(vmx::hlt, mtd::rip_len, [](Env&, Utcb_arch& a) {
        skip_instruction(a);
        a.mtd |= mtd::inj;
        a.inj_info = vmx::inj::valid | vmx::inj::type_ext_int << vmx::inj::type_shift | 0x20;
    });
    vm.on(vmx::triple_fault, mtd::rip_len | mtd::idtr | mtd::cs_ss,
          [](Env&, Utcb_arch& a) { park(a); });
    vm.start();
    EXPECT_EQ(vm.run(), "");
    ASSERT_EQ(vm.events(), (std::vector<mword>{vmx::startup, vmx::hlt, vmx::triple_fault}));
    EXPECT_EQ(vm.exits()[2].state.idtr.limit, 0u); // the empty interrupt table it set up
    EXPECT_EQ(vm.exits()[2].state.cs.sel, 0x08);
    expect_healthy(vm);
}

TEST(KvmFaults, InvalidGuestStateIsReportedWithItsState)
{
    NOVASIM_REQUIRE_KVM();
    Guest_vm vm{{.guest = "spin16.bin"}};
    // STARTUP leaves protected mode on with a data segment in CS: VMX refuses to enter.
    vm.on(vmx::startup, 0, [](Env&, Utcb_arch& a) {
        a.mtd |= mtd::cr | mtd::cs_ss;
        a.cr0 = 0x11;
        a.cs.ar = 0x93;
    });
    vm.on(vmx::invalid_state, mtd::cs_ss | mtd::cr | mtd::inj, [](Env&, Utcb_arch& a) { park(a); });
    vm.on(vmx::io, mtd::rip_len, [](Env&, Utcb_arch& a) { park(a); });
    vm.start();
    EXPECT_EQ(vm.run(), "");
    ASSERT_GE(vm.events().size(), 2u);
    if (vm.events()[1] == vmx::io)
        GTEST_SKIP() << "this host's KVM enters guest state that VMX refuses (PVM checks none): "
                        "there is no invalid-guest-state exit to report here";
    EXPECT_EQ(vm.events()[1], vmx::invalid_state);
    EXPECT_EQ(vm.exits()[1].state.cs.ar, 0x93);
    expect_healthy(vm);
}

} // namespace
} // namespace kvmtest
