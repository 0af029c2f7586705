// The exit handler fed synthetic exits (label unit, no KVM): a real Pc_board with a manual clock
// and fakes of the vCPU side; each test builds the message a portal's MTD would fill, hands it
// to Exit_handler::handle and checks the reply and what reached the devices.
#include "nova/mtd.hpp"
#include "nova/vmx.hpp"
#include "vmm/vm/exit_handler.hpp"

#include <gtest/gtest.h>

#include "vmm_fixture.hpp"

namespace {

using namespace vmm;
using nova::mword;
using nova::Utcb_arch;
namespace mtd = nova::mtd;
namespace vmx = nova::vmx;
namespace inj = vmx::inj;
using vmm_test::Fake_machine_control;
using vmm_test::Fake_vcpu_control;

constexpr u64 rflags_if = 1u << 9;
constexpr u64 apic_page = 0xfee0'0000;
constexpr u32 apic_tpr = 0x80, apic_svr = 0xf0, apic_icr_low = 0x300, apic_icr_high = 0x310;
constexpr u32 icr_self = 1u << 18;
constexpr u32 external(u8 vector)
{
    return inj::valid | inj::type_ext_int << inj::type_shift | vector;
}

struct Serial_text final : Serial_peer {
    std::string text;
    void transmit(u8 byte) override { text += static_cast<char>(byte); }
};

// A guest at `rip` whose instruction there is `length` bytes long, interrupts on unless said.
Utcb_arch at(u64 rip, u64 length, bool interrupts_on = true)
{
    Utcb_arch msg{};
    msg.rip = rip;
    msg.inst_len = length;
    msg.rflags = 2 | (interrupts_on ? rflags_if : 0);
    return msg;
}

// A port-I/O exit of a non-string IN or OUT (2 bytes: the DX form).
Utcb_arch port_exit(u16 port, unsigned size, bool in, u64 rax = 0)
{
    Utcb_arch msg = at(0x1000, 1);
    msg.qual[0] = vmx::io_qual::make(size, in, port);
    msg.rax = rax;
    return msg;
}

// An EPT violation with the access KVM decoded: a write of `data`, or a read.
Utcb_arch mmio_exit(u64 gpa, unsigned size, std::optional<u64> data)
{
    Utcb_arch msg = at(0x2000, 3);
    msg.qual[0] = data ? vmx::ept_qual::write : vmx::ept_qual::read;
    msg.qual[1] = gpa;
    msg.access.size = size;
    msg.access.flags = data ? nova::Utcb_access::write : 0;
    msg.access.data = data.value_or(0);
    return msg;
}

Pc_config two_cpus()
{
    Pc_config config;
    config.cpus = 2;
    config.ram_below_4g = u64{16} << 20;
    return config;
}

struct ExitHandler : ::testing::Test {
    static constexpr unsigned cpus = 2;
    static constexpr Boot_state boot{
        Boot_state::Mode::protected32, 0x10'0000, 0x2bad'b002, 0x9000, 0, 0};

    Manual_clock clock;
    Fake_vcpu_control vcpus;
    Fake_machine_control machine;
    Serial_text com1;
    Pc_board board{two_cpus(), clock, vcpus, machine, com1};
    Exit_handler handler{board, boot, cpus};
    Exit_effects effects;

    // The reply to `msg` as an exit of `vcpu` with `event`.
    Utcb_arch reply(Vcpu_id vcpu, mword event, Utcb_arch msg)
    {
        effects = handler.handle(vcpu, event, msg);
        return msg;
    }
    void apic_write(Vcpu_id vcpu, u32 reg, u32 value)
    {
        board.bus().mmio_write(vcpu, apic_page + reg, 4, value);
    }
    // A fixed interrupt at `vector` in the vCPU's own LAPIC, which is software-enabled first.
    void self_ipi(Vcpu_id vcpu, u8 vector)
    {
        apic_write(vcpu, apic_svr, 0x1ff);
        apic_write(vcpu, apic_icr_low, icr_self | vector);
    }
    // The 8259A pair at vectors 0x20/0x28 with IRQ 0 unmasked, and the 8254's channel 0 in
    // mode 2 at about 1 kHz: IRQ 0 rises a millisecond from now.
    void pit_through_pic()
    {
        for (auto [port, value] : {std::pair<u16, u32>{0x20, 0x11},
                                   {0x21, 0x20},
                                   {0x21, 0x04},
                                   {0x21, 0x01},
                                   {0x21, 0xfe},
                                   {0x43, 0x34},
                                   {0x40, 0xa9},
                                   {0x40, 0x04}})
            board.bus().io_out(port, 1, value);
    }
    void run_timers_for(Nanoseconds span)
    {
        clock.advance_by(span);
        board.timers().run_due();
    }
};

// --- Port I/O and MMIO reach the devices. ---

TEST_F(ExitHandler, AnOutReachesItsDeviceAndMovesRipPastTheInstruction)
{
    Utcb_arch r = reply(0, vmx::io, port_exit(0x3f8, 1, false, 0x4142));
    EXPECT_EQ(com1.text, "B"); // AL only
    EXPECT_NE(r.mtd & mtd::rip_len, 0u);
    EXPECT_EQ(r.rip, 0x1001u);
    EXPECT_EQ(r.mtd & mtd::gpr_acdb, 0u); // an OUT changes no register

    reply(0, vmx::io, port_exit(0xf4, 1, false, 5));
    EXPECT_EQ(machine.exits, (std::vector<u64>{5 << 1 | 1}));
}

TEST_F(ExitHandler, AnInPutsTheDevicesValueIntoRaxAndKeepsItsOtherBytes)
{
    Utcb_arch r = reply(0, vmx::io, port_exit(0x3fd, 1, true, 0x1122'3344'5566'7788));
    EXPECT_NE(r.mtd & mtd::gpr_acdb, 0u);
    EXPECT_EQ(r.rax, 0x1122'3344'5566'7760u); // COM1's LSR: transmitter empty
    EXPECT_EQ(r.rip, 0x1001u);

    reply(0, vmx::io, port_exit(0x510, 2, false, 0x05)); // fw_cfg: the CPU count
    r = reply(0, vmx::io, port_exit(0x511, 1, true, 0xffff'ff00));
    EXPECT_EQ(r.rax, 0xffff'ff00u | cpus);

    r = reply(0, vmx::io, port_exit(0x0555, 2, true, 0xaaaa'0000)); // nobody's port
    EXPECT_EQ(r.rax, 0xaaaa'ffffu);
}

TEST_F(ExitHandler, AStringInstructionsElementPassesThroughTheAccessAndRipStaysWithTheHost)
{
    Utcb_arch outs = port_exit(0x3f8, 1, false);
    outs.qual[0] |= vmx::io_qual::string;
    outs.access.data = 'x';
    Utcb_arch r = reply(0, vmx::io, outs);
    EXPECT_EQ(com1.text, "x");
    EXPECT_EQ(r.mtd & mtd::rip_len, 0u);

    Utcb_arch ins = port_exit(0x3fd, 1, true);
    ins.qual[0] |= vmx::io_qual::string;
    r = reply(0, vmx::io, ins);
    EXPECT_NE(r.mtd & mtd::qual, 0u);
    EXPECT_EQ(r.access.data, 0x60u);
}

TEST_F(ExitHandler, AnIoInstructionWhoseLengthIsUnknownIsAFailure)
{
    Utcb_arch msg = port_exit(0x3f8, 1, false);
    msg.inst_len = 0;
    reply(0, vmx::io, msg);
    ASSERT_TRUE(effects.failure);
    EXPECT_NE(effects.failure->find("could not decode"), std::string::npos) << *effects.failure;
    EXPECT_EQ(com1.text, "");
}

TEST_F(ExitHandler, MmioReachesTheLapicOfTheExitingVcpu)
{
    Utcb_arch r = reply(0, vmx::ept_violation, mmio_exit(apic_page + apic_tpr, 4, 0x20));
    EXPECT_EQ(r.mtd & mtd::rip_len, 0u); // KVM finishes the instruction
    EXPECT_EQ(board.lapic(0)->tpr(), 0x20u);
    EXPECT_EQ(board.lapic(1)->tpr(), 0u);

    r = reply(0, vmx::ept_violation, mmio_exit(apic_page + apic_tpr, 4, std::nullopt));
    EXPECT_NE(r.mtd & mtd::qual, 0u);
    EXPECT_EQ(r.access.data, 0x20u);
    r = reply(1, vmx::ept_violation, mmio_exit(apic_page + 0x20, 4, std::nullopt)); // ID
    EXPECT_EQ(r.access.data, 1u << 24);
}

TEST_F(ExitHandler, AFetchFromWhereThereIsNoMemoryIsAFailure)
{
    Utcb_arch msg = mmio_exit(0x4000'0000, 0, std::nullopt);
    msg.qual[0] = vmx::ept_qual::fetch;
    reply(0, vmx::ept_violation, msg);
    ASSERT_TRUE(effects.failure);
    EXPECT_NE(effects.failure->find("0x40000000"), std::string::npos) << *effects.failure;
}

// --- HLT, injection and the interrupt window. ---

TEST_F(ExitHandler, AHaltWithNothingPendingParksTheVcpuPastTheHlt)
{
    Utcb_arch r = reply(0, vmx::hlt, at(0x1000, 1));
    EXPECT_EQ(r.rip, 0x1001u);
    EXPECT_NE(r.mtd & mtd::sta, 0u);
    EXPECT_EQ(r.actv_state, vmx::activity::hlt);
    EXPECT_EQ(r.inj_info, 0u); // no injection and no window
}

TEST_F(ExitHandler, AHaltWithAnInterruptDeliverableInjectsIt)
{
    self_ipi(0, 0x40);
    Utcb_arch r = reply(0, vmx::hlt, at(0x1000, 1));
    EXPECT_EQ(r.inj_info, external(0x40));
    EXPECT_EQ(r.rip, 0x1001u);
    EXPECT_NE(r.actv_state, vmx::activity::hlt);
    EXPECT_TRUE(board.lapic(0)->isr(0x40)); // acknowledged: in service now
}

// sti; hlt: the HLT is the instruction in the STI shadow, and the shadow ends with it.
TEST_F(ExitHandler, AHaltInTheShadowOfStiStillTakesThePendingInterrupt)
{
    self_ipi(0, 0x40);
    Utcb_arch msg = at(0x1000, 1);
    msg.intr_state = vmx::intr_state::sti_blocking;
    Utcb_arch r = reply(0, vmx::hlt, msg);
    EXPECT_EQ(r.inj_info, external(0x40));
    EXPECT_NE(r.mtd & mtd::sta, 0u);
    EXPECT_EQ(r.intr_state & vmx::intr_state::sti_blocking, 0u);
}

TEST_F(ExitHandler, TheWindowIsRequestedWhileTheGuestCannotTakeTheInterrupt)
{
    self_ipi(0, 0x40);
    Utcb_arch r = reply(0, vmx::io, port_exit(0x80, 1, false)); // interrupts on: injected
    EXPECT_EQ(r.inj_info, external(0x40));
    self_ipi(0, 0x50);

    Utcb_arch off = port_exit(0x80, 1, false);
    off.rflags = 2;
    EXPECT_EQ(reply(0, vmx::io, off).inj_info, inj::want_window);
    Utcb_arch mov_ss = at(0x1000, 0);
    mov_ss.intr_state = vmx::intr_state::mov_ss_blocking;
    EXPECT_EQ(reply(0, vmx::intr_window, mov_ss).inj_info, inj::want_window);
    EXPECT_FALSE(board.lapic(0)->isr(0x50));

    EXPECT_EQ(reply(0, vmx::intr_window, at(0x1000, 0)).inj_info, external(0x50));
}

// The LAPIC's vector goes before the PIC's; the PIC's INTR then waits for the window.
TEST_F(ExitHandler, WithMoreThanOnePendingTheWindowIsAskedForAfterTheInjection)
{
    pit_through_pic();
    run_timers_for(2'000'000);
    self_ipi(0, 0x40);
    Utcb_arch r = reply(0, vmx::io, port_exit(0x80, 1, false));
    EXPECT_EQ(r.inj_info, external(0x40) | inj::want_window);
    EXPECT_EQ(reply(0, vmx::intr_window, at(0x1001, 0)).inj_info, external(0x20));
}

TEST_F(ExitHandler, TheWindowIsCancelledWhenNothingIsPending)
{
    Utcb_arch msg = port_exit(0x80, 1, false);
    msg.inj_info = inj::want_window; // what the last reply asked for
    Utcb_arch r = reply(0, vmx::io, msg);
    EXPECT_NE(r.mtd & mtd::inj, 0u);
    EXPECT_EQ(r.inj_info, 0u);
}

TEST_F(ExitHandler, AnInjectionStillPendingAtARecallIsKeptNotLost)
{
    self_ipi(0, 0x40);
    Utcb_arch first = reply(0, vmx::io, port_exit(0x80, 1, false));
    ASSERT_EQ(first.inj_info, external(0x40));
    Utcb_arch recall = at(0x1001, 0);
    recall.inj_info = first.inj_info; // a recall came before the vCPU entered again
    EXPECT_EQ(reply(0, vmx::recall, recall).inj_info, external(0x40));
}

TEST_F(ExitHandler, APitTickThroughThePicRecallsTheBspAndIsInjectedAtTheRecall)
{
    pit_through_pic();
    EXPECT_EQ(reply(0, vmx::hlt, at(0x1000, 1)).actv_state, vmx::activity::hlt);
    EXPECT_FALSE(vcpus.recalled(0));
    run_timers_for(1'000'000);
    EXPECT_TRUE(vcpus.recalled(0));
    Utcb_arch r = reply(0, vmx::recall, at(0x1001, 0));
    EXPECT_EQ(r.inj_info, external(0x20));
    EXPECT_NE(r.mtd & mtd::sta, 0u);
    EXPECT_EQ(r.actv_state, vmx::activity::active);
    EXPECT_EQ(r.rip, 0x1001u);
}

TEST_F(ExitHandler, AHaltedVcpuRecalledWithNothingForItHaltsOn)
{
    reply(0, vmx::hlt, at(0x1000, 1));
    Utcb_arch r = reply(0, vmx::recall, at(0x1001, 0));
    EXPECT_EQ(r.actv_state, vmx::activity::hlt);
    EXPECT_EQ(r.inj_info, 0u);
}

TEST_F(ExitHandler, AnNmiIsInjectedEvenWithInterruptsOff)
{
    apic_write(1, apic_icr_high, 0); // to APIC ID 0
    apic_write(1, apic_icr_low, 4u << 8);
    Utcb_arch msg = port_exit(0x80, 1, false);
    msg.rflags = 2;
    EXPECT_EQ(reply(0, vmx::io, msg).inj_info, inj::valid | inj::type_nmi << inj::type_shift | 2);
}

// --- STARTUP, INIT and SIPI. ---

TEST_F(ExitHandler, TheBootProcessorStartsInTheLoadersStateAndRamIsMappedOnce)
{
    Utcb_arch r = reply(0, vmx::startup, Utcb_arch{});
    EXPECT_TRUE(effects.map_ram);
    EXPECT_EQ(r.rip, boot.entry);
    EXPECT_EQ(r.rax, boot.eax);
    EXPECT_EQ(r.rbx, boot.ebx);
    EXPECT_EQ(r.cr0 & 1, 1u); // protected mode
    EXPECT_EQ(r.cs.sel, 0x08u);
    reply(1, vmx::startup, Utcb_arch{});
    EXPECT_FALSE(effects.map_ram);
}

TEST_F(ExitHandler, AnApWaitsForSipiAndStartsInRealModeAtTheVectorsPage)
{
    Utcb_arch r = reply(1, vmx::startup, Utcb_arch{});
    EXPECT_EQ(r.actv_state, vmx::activity::wait_for_sipi);
    apic_write(0, apic_icr_high, 1u << 24);
    apic_write(0, apic_icr_low, 0x4500); // INIT, assert
    apic_write(0, apic_icr_low, 0x4612); // STARTUP, page 0x12
    EXPECT_EQ(vcpus.inits, (std::vector<Vcpu_id>{1}));
    ASSERT_EQ(vcpus.startups, (std::vector<Fake_vcpu_control::Startup>{{1, 0x12}}));
    handler.init(1); // what the vCPU side does with them
    handler.startup(1, 0x12);

    r = reply(1, vmx::recall, Utcb_arch{});
    EXPECT_EQ(r.actv_state, vmx::activity::active);
    EXPECT_EQ(r.cs.sel, 0x1200u);
    EXPECT_EQ(r.cs.base, 0x12000u);
    EXPECT_EQ(r.rip, 0u);
    EXPECT_EQ(r.cr0 & 1, 0u); // real mode
}

// An AP waits for its SIPI from reset on, before its vCPU has even reached its STARTUP exit.
TEST_F(ExitHandler, ASipiBeforeTheApsStartupIsHeldForIt)
{
    handler.startup(1, 0x34);
    Utcb_arch r = reply(1, vmx::startup, Utcb_arch{});
    EXPECT_EQ(r.actv_state, vmx::activity::active);
    EXPECT_EQ(r.cs.base, 0x34000u);
}

TEST_F(ExitHandler, ASipiToARunningApIsIgnored)
{
    EXPECT_EQ(reply(1, vmx::startup, Utcb_arch{}).actv_state, vmx::activity::wait_for_sipi);
    handler.startup(1, 0x34);
    ASSERT_EQ(reply(1, vmx::recall, Utcb_arch{}).cs.base, 0x34000u);
    handler.startup(1, 0x56);
    Utcb_arch r = reply(1, vmx::recall, at(0x34010, 0));
    EXPECT_EQ(r.mtd & mtd::cs_ss, 0u);
    EXPECT_EQ(r.rip, 0x34010u);
}

// --- MSRs, CPUID, failures. ---

TEST_F(ExitHandler, AnMsrTheVmmDoesNotKnowInjectsGpAtTheInstruction)
{
    Utcb_arch msg = at(0x1000, 2);
    msg.rcx = 0x1234'5678;
    for (mword event : {vmx::rdmsr, vmx::wrmsr}) {
        Utcb_arch r = reply(0, event, msg);
        EXPECT_EQ(r.inj_info,
                  inj::valid | inj::type_hw_exception << inj::type_shift | inj::error_code | 13)
            << event;
        EXPECT_EQ(r.inj_error, 0u);
        EXPECT_EQ(r.rip, 0x1000u); // a fault: RIP stays at the instruction
    }
}

TEST_F(ExitHandler, TheGpOfAnMsrGoesFirstAndAPendingInterruptWaitsForTheWindow)
{
    self_ipi(0, 0x40);
    Utcb_arch r = reply(0, vmx::rdmsr, at(0x1000, 2));
    EXPECT_EQ(r.inj_info & (inj::valid | inj::vector_mask), inj::valid | 13);
    EXPECT_NE(r.inj_info & inj::want_window, 0u);
    EXPECT_FALSE(board.lapic(0)->isr(0x40));
}

TEST_F(ExitHandler, CpuidHidesX2apicAndTheTscDeadlineTimerAndPassesTheRest)
{
    constexpr u32 x2apic = 1u << 21, tsc_deadline = 1u << 24, sse3 = 1u << 0;
    Utcb_arch leaf1{};
    leaf1.rax = 1;
    leaf1.access.host[0] = 0x000806f8;
    leaf1.access.host[2] = x2apic | tsc_deadline | sse3;
    Utcb_arch r = reply(0, vmx::cpuid, leaf1);
    EXPECT_EQ(r.rax, 0x000806f8u);
    EXPECT_EQ(r.rcx, sse3);

    Utcb_arch leaf7 = leaf1;
    leaf7.rax = 7;
    EXPECT_EQ(reply(0, vmx::cpuid, leaf7).rcx, x2apic | tsc_deadline | sse3);
}

TEST_F(ExitHandler, ATripleFaultIsAFailureThatNamesTheStateAndShutsTheVcpuDown)
{
    Utcb_arch msg = at(0x1234, 0);
    msg.cr0 = 0x11;
    msg.rsp = 0x7ff0;
    Utcb_arch r = reply(1, vmx::triple_fault, msg);
    ASSERT_TRUE(effects.failure);
    for (char const* part : {"vCPU 1", "triple fault", "rip 0x1234", "cr0 0x11", "rsp 0x7ff0"})
        EXPECT_NE(effects.failure->find(part), std::string::npos) << *effects.failure;
    EXPECT_EQ(r.actv_state, vmx::activity::shutdown);

    reply(0, vmx::emulation_failure, at(0x10d1, 0));
    ASSERT_TRUE(effects.failure);
    EXPECT_NE(effects.failure->find("cannot run"), std::string::npos) << *effects.failure;
}

TEST_F(ExitHandler, EveryExitIsCountedByVcpuAndEvent)
{
    reply(0, vmx::io, port_exit(0x80, 1, false));
    reply(0, vmx::io, port_exit(0x80, 1, false));
    reply(1, vmx::hlt, at(0x1000, 1));
    Exit_histogram const expected{{{0, vmx::io}, 2}, {{1, vmx::hlt}, 1}};
    EXPECT_EQ(handler.histogram(), expected);
}

} // namespace
