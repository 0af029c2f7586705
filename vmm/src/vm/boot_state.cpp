// The processor state the guest starts in: the boot processor's from the loader's choice of
// mode, an AP's from its SIPI.
#include "nova/mtd.hpp"
#include "nova/vmx.hpp"
#include "vmm/vm/exit_handler.hpp"

namespace vmm {

using namespace nova;

namespace {

constexpr Utcb_segment flat_code32{0x08, 0xc9b, 0xffff'ffff, 0}; // G, D/B (UTCB AR bits 11, 10)
constexpr Utcb_segment flat_code64{0x08, 0xa9b, 0xffff'ffff, 0}; // G, L
constexpr Utcb_segment flat_data{0x10, 0xc93, 0xffff'ffff, 0};
constexpr Utcb_segment real_data{0, 0x93, 0xffff, 0};
constexpr Utcb_segment tss{0, 0x8b, 0xffff, 0};
constexpr Utcb_segment no_ldt{0, 0x1000, 0xffff, 0};

void segments(Utcb_arch& msg, Utcb_segment code, Utcb_segment data)
{
    msg.cs = code;
    msg.ss = msg.ds = msg.es = msg.fs = msg.gs = data;
    msg.tr = tss;
    msg.ldtr = no_ldt;
    msg.gdtr = msg.idtr = Utcb_segment{0, 0, 0xffff, 0};
}

} // namespace

void set_boot_state(Utcb_arch& msg, Boot_state const& boot)
{
    msg.mtd |= mtd::rip_len | mtd::rflags | mtd::rsp | mtd::gpr_acdb | mtd::cs_ss | mtd::ds_es |
               mtd::fs_gs | mtd::tr | mtd::ldtr | mtd::gdtr | mtd::idtr | mtd::cr | mtd::efer;
    msg.rflags = 2;
    msg.rsp = boot.stack;
    msg.rax = boot.eax, msg.rbx = boot.ebx, msg.rcx = 0, msg.rdx = 0;
    msg.cr2 = msg.cr3 = msg.cr4 = 0;
    msg.efer = 0;
    switch (boot.mode) {
    case Boot_state::Mode::real16:
        msg.cr0 = 0x10;
        segments(msg,
                 Utcb_segment{static_cast<u16>(boot.entry >> 4 & 0xf000), 0x9b, 0xffff,
                              boot.entry & ~u64{0xffff}},
                 real_data);
        msg.rip = boot.entry & 0xffff;
        return;
    case Boot_state::Mode::protected32:
        msg.cr0 = 0x11; // PE, ET
        segments(msg, flat_code32, flat_data);
        msg.rip = boot.entry;
        return;
    case Boot_state::Mode::long64:
        msg.cr0 = 0x8000'0011; // PG, PE, ET
        msg.cr3 = boot.page_tables;
        msg.cr4 = 0x20;   // PAE
        msg.efer = 0x500; // LME, LMA
        segments(msg, flat_code64, flat_data);
        msg.rip = boot.entry;
        return;
    }
}

void set_sipi_state(Utcb_arch& msg, u8 vector)
{
    msg.mtd |= mtd::rip_len | mtd::rflags | mtd::cs_ss | mtd::ds_es | mtd::fs_gs | mtd::sta |
               mtd::cr | mtd::efer | mtd::tr | mtd::ldtr | mtd::gdtr | mtd::idtr;
    msg.rip = 0;
    msg.rflags = 2;
    msg.cr0 = 0x10, msg.cr2 = msg.cr3 = msg.cr4 = 0, msg.efer = 0;
    segments(msg, Utcb_segment{static_cast<u16>(u16{vector} << 8), 0x9b, 0xffff, u64{vector} << 12},
             real_data);
    msg.actv_state = vmx::activity::active;
    msg.intr_state = 0;
}

} // namespace vmm
