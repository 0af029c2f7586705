#include "kvm/trace/fields.hpp"

#include "nova/mtd.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstring>
#include <fmt/format.h>
#include <vector>

namespace kvm::trace {

using namespace nova;

namespace {

#define NOVASIM_FIELD(group, member, name)                                                         \
    Field                                                                                          \
    {                                                                                              \
        group, name, static_cast<std::uint16_t>(offsetof(Utcb_arch, member)),                      \
            static_cast<std::uint8_t>(sizeof(Utcb_arch::member))                                   \
    }

void add_segment(std::vector<Field>& out, mword group, std::size_t offset, char const* name)
{
    static std::vector<std::string> names; // the fields keep pointers into it
    char const* parts[] = {"sel", "ar", "limit", "base"};
    std::uint8_t sizes[] = {2, 2, 4, 8};
    std::uint16_t at[] = {0, 2, 4, 8};
    names.reserve(128);
    for (int i = 0; i < 4; ++i) {
        names.push_back(fmt::format("{}.{}", name, parts[i]));
        out.push_back(Field{group, names.back().c_str(), static_cast<std::uint16_t>(offset + at[i]),
                            sizes[i]});
    }
}

std::vector<Field> make_fields()
{
    std::vector<Field> f{
        NOVASIM_FIELD(mtd::gpr_acdb, rax, "rax"),
        NOVASIM_FIELD(mtd::gpr_acdb, rcx, "rcx"),
        NOVASIM_FIELD(mtd::gpr_acdb, rdx, "rdx"),
        NOVASIM_FIELD(mtd::gpr_acdb, rbx, "rbx"),
        NOVASIM_FIELD(mtd::gpr_bsd, rbp, "rbp"),
        NOVASIM_FIELD(mtd::gpr_bsd, rsi, "rsi"),
        NOVASIM_FIELD(mtd::gpr_bsd, rdi, "rdi"),
        NOVASIM_FIELD(mtd::rsp, rsp, "rsp"),
        NOVASIM_FIELD(mtd::rip_len, rip, "rip"),
        NOVASIM_FIELD(mtd::rip_len, inst_len, "inst_len"),
        NOVASIM_FIELD(mtd::rflags, rflags, "rflags"),
    };
    auto segment = [&f](mword group, std::size_t offset, char const* name) {
        add_segment(f, group, offset, name);
    };
    segment(mtd::ds_es, offsetof(Utcb_arch, ds), "ds");
    segment(mtd::ds_es, offsetof(Utcb_arch, es), "es");
    segment(mtd::fs_gs, offsetof(Utcb_arch, fs), "fs");
    segment(mtd::fs_gs, offsetof(Utcb_arch, gs), "gs");
    segment(mtd::cs_ss, offsetof(Utcb_arch, cs), "cs");
    segment(mtd::cs_ss, offsetof(Utcb_arch, ss), "ss");
    segment(mtd::tr, offsetof(Utcb_arch, tr), "tr");
    segment(mtd::ldtr, offsetof(Utcb_arch, ldtr), "ldtr");
    segment(mtd::gdtr, offsetof(Utcb_arch, gdtr), "gdtr");
    segment(mtd::idtr, offsetof(Utcb_arch, idtr), "idtr");
    std::vector<Field> rest{
        NOVASIM_FIELD(mtd::cr, cr0, "cr0"),
        NOVASIM_FIELD(mtd::cr, cr2, "cr2"),
        NOVASIM_FIELD(mtd::cr, cr3, "cr3"),
        NOVASIM_FIELD(mtd::cr, cr4, "cr4"),
        NOVASIM_FIELD(mtd::dr, dr7, "dr7"),
        NOVASIM_FIELD(mtd::sysenter, sysenter_cs, "sysenter_cs"),
        NOVASIM_FIELD(mtd::sysenter, sysenter_sp, "sysenter_sp"),
        NOVASIM_FIELD(mtd::sysenter, sysenter_ip, "sysenter_ip"),
        NOVASIM_FIELD(mtd::qual, qual[0], "qual0"),
        NOVASIM_FIELD(mtd::qual, qual[1], "qual1"),
        NOVASIM_FIELD(mtd::qual, access.data, "access.data"),
        NOVASIM_FIELD(mtd::qual, access.size, "access.size"),
        NOVASIM_FIELD(mtd::qual, access.flags, "access.flags"),
        NOVASIM_FIELD(mtd::qual, access.count, "access.count"),
        NOVASIM_FIELD(mtd::qual, access.insn_len, "access.insn_len"),
        Field{mtd::qual, "access.insn[0..7]", offsetof(Utcb_arch, access.insn), 8},
        Field{mtd::qual, "access.insn[8..15]", offsetof(Utcb_arch, access.insn) + 8, 8},
        NOVASIM_FIELD(mtd::qual, access.host[0], "access.host0"),
        NOVASIM_FIELD(mtd::qual, access.host[1], "access.host1"),
        NOVASIM_FIELD(mtd::qual, access.host[2], "access.host2"),
        NOVASIM_FIELD(mtd::qual, access.host[3], "access.host3"),
        NOVASIM_FIELD(mtd::ctrl, ctrl[0], "ctrl0"),
        NOVASIM_FIELD(mtd::ctrl, ctrl[1], "ctrl1"),
        NOVASIM_FIELD(mtd::inj, inj_info, "inj_info"),
        NOVASIM_FIELD(mtd::inj, inj_error, "inj_error"),
        NOVASIM_FIELD(mtd::sta, intr_state, "intr_state"),
        NOVASIM_FIELD(mtd::sta, actv_state, "actv_state"),
        NOVASIM_FIELD(mtd::tsc, tsc_val, "tsc_val"),
        NOVASIM_FIELD(mtd::tsc, tsc_off, "tsc_off"),
        NOVASIM_FIELD(mtd::efer, efer, "efer"),
        NOVASIM_FIELD(mtd::pdpte, pdpte[0], "pdpte0"),
        NOVASIM_FIELD(mtd::pdpte, pdpte[1], "pdpte1"),
        NOVASIM_FIELD(mtd::pdpte, pdpte[2], "pdpte2"),
        NOVASIM_FIELD(mtd::pdpte, pdpte[3], "pdpte3"),
        NOVASIM_FIELD(mtd::r8_r15, r8, "r8"),
        NOVASIM_FIELD(mtd::r8_r15, r9, "r9"),
        NOVASIM_FIELD(mtd::r8_r15, r10, "r10"),
        NOVASIM_FIELD(mtd::r8_r15, r11, "r11"),
        NOVASIM_FIELD(mtd::r8_r15, r12, "r12"),
        NOVASIM_FIELD(mtd::r8_r15, r13, "r13"),
        NOVASIM_FIELD(mtd::r8_r15, r14, "r14"),
        NOVASIM_FIELD(mtd::r8_r15, r15, "r15"),
        NOVASIM_FIELD(mtd::syscall_swapgs, star, "star"),
        NOVASIM_FIELD(mtd::syscall_swapgs, lstar, "lstar"),
        NOVASIM_FIELD(mtd::syscall_swapgs, cstar, "cstar"),
        NOVASIM_FIELD(mtd::syscall_swapgs, fmask, "fmask"),
        NOVASIM_FIELD(mtd::syscall_swapgs, kernel_gs_base, "kernel_gs_base"),
        NOVASIM_FIELD(mtd::tpr, tpr, "tpr"),
        NOVASIM_FIELD(mtd::tpr, tpr_threshold, "tpr_threshold"),
        NOVASIM_FIELD(mtd::tsc_aux, tsc_aux, "tsc_aux"),
    };
    f.insert(f.end(), rest.begin(), rest.end());
    static std::vector<std::string> fpu_names;
    fpu_names.reserve(64);
    for (unsigned i = 0; i < 64; ++i) {
        fpu_names.push_back(fmt::format("fpu[{}..{}]", 8 * i, 8 * i + 7));
        f.push_back(Field{mtd::fpu, fpu_names.back().c_str(),
                          static_cast<std::uint16_t>(offsetof(Utcb_arch, fpu) + 8 * i), 8});
    }
    return f;
}

} // namespace

std::span<Field const> all_fields()
{
    static std::vector<Field> const fields = make_fields();
    return fields;
}

std::span<Field_run const> field_runs()
{
    static std::vector<Field_run> const runs = [] {
        std::vector<Field_run> r;
        std::span<Field const> fields = all_fields();
        for (std::size_t i = 0, start = 0; i <= fields.size(); ++i) {
            if (i < fields.size() && fields[i].group == fields[start].group) continue;
            r.push_back(Field_run{fields[start].group, fields.subspan(start, i - start)});
            start = i;
        }
        return r;
    }();
    return runs;
}

std::size_t field_count(mword mtd)
{
    using Counts = std::array<std::uint16_t, 64>; // by MTD bit: each group is one bit
    static Counts const counts = [] {
        Counts c{};
        for (Field const& f : all_fields()) c[static_cast<unsigned>(std::countr_zero(f.group))]++;
        return c;
    }();
    std::size_t n = 0;
    for (mword bits = mtd & all_groups(); bits != 0; bits &= bits - 1)
        n += counts[static_cast<unsigned>(std::countr_zero(bits))];
    return n;
}

mword all_groups()
{
    static mword const groups = [] {
        mword g = 0;
        for (Field const& f : all_fields()) g |= f.group;
        return g;
    }();
    return groups;
}

std::string describe(Utcb_arch const& a, mword mtd)
{
    std::string out;
    for (Field const& f : all_fields()) {
        if ((f.group & mtd) == 0 || (f.group == mtd::fpu)) continue;
        if (!out.empty()) out += ' ';
        out += fmt::format("{}={:#x}", f.name, get(a, f));
    }
    if (mtd & mtd::fpu) out += out.empty() ? "fpu" : " fpu";
    return out;
}

std::string mtd_names(mword mtd)
{
    static constexpr std::pair<mword, char const*> names[] = {
        {mtd::gpr_acdb, "ACDB"},
        {mtd::gpr_bsd, "BSD"},
        {mtd::rsp, "RSP"},
        {mtd::rip_len, "RIP_LEN"},
        {mtd::rflags, "RFLAGS"},
        {mtd::ds_es, "DS_ES"},
        {mtd::fs_gs, "FS_GS"},
        {mtd::cs_ss, "CS_SS"},
        {mtd::tr, "TR"},
        {mtd::ldtr, "LDTR"},
        {mtd::gdtr, "GDTR"},
        {mtd::idtr, "IDTR"},
        {mtd::cr, "CR"},
        {mtd::dr, "DR"},
        {mtd::sysenter, "SYSENTER"},
        {mtd::qual, "QUAL"},
        {mtd::ctrl, "CTRL"},
        {mtd::inj, "INJ"},
        {mtd::sta, "STA"},
        {mtd::tsc, "TSC"},
        {mtd::efer, "EFER"},
        {mtd::pdpte, "PDPTE"},
        {mtd::r8_r15, "R8_R15"},
        {mtd::syscall_swapgs, "SYSCALL_SWAPGS"},
        {mtd::tpr, "TPR"},
        {mtd::tsc_aux, "TSC_AUX"},
        {mtd::fpu, "FPU"}};
    std::string out;
    for (auto [bit, name] : names) {
        if ((mtd & bit) == 0) continue;
        if (!out.empty()) out += '|';
        out += name;
    }
    return out.empty() ? "0" : out;
}

} // namespace kvm::trace
