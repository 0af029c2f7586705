#include "program/form.hpp"

#include <algorithm>

namespace hcl {

namespace {

using nova::Hypercall;
using enum Value_kind;

constexpr Bit_run whole(Reg reg)
{
    return {reg, 0, 64, 0};
}

constexpr Operand needed(std::string_view name, Value_kind kind, Bit_run run)
{
    return {name, kind, {run, run}, 1, true, 0};
}

constexpr Operand optional(std::string_view name, Value_kind kind, Bit_run run)
{
    return {name, kind, {run, run}, 1, false, 0};
}

// An operand of a kernel function: a whole word with no place in a frame.
constexpr Operand argument(std::string_view name, Value_kind kind, bool required = true)
{
    return {name, kind, {}, 0, required, 0};
}

// A 64-bit value passed as two halves: bits 63:32 in RSI, bits 31:0 in RDX (sm_ctrl's deadline
// and sc_ctrl's consumed time).
constexpr Operand split_hi_lo(std::string_view name, bool required)
{
    return {name, count,    {Bit_run{Reg::rsi, 0, 32, 32}, Bit_run{Reg::rdx, 0, 32, 0}},
            2,    required, 0};
}

// sm_ctrl's deadline: an absolute TSC value, or `+N` relative to the caller's CPU.
constexpr Operand deadline{
    "deadline", tsc, {Bit_run{Reg::rsi, 0, 32, 32}, Bit_run{Reg::rdx, 0, 32, 0}}, 2, false, 0};

// An operand of a declaration: a whole word with a fallback.
constexpr Operand declared(std::string_view name, Value_kind kind, std::uint64_t fallback = 0)
{
    return {name, kind, {}, 0, false, fallback};
}

constexpr Operand first_selector = needed("selector", selector, Bit_run{Reg::rdi, 8, 56, 0});

// Operands several forms share.
constexpr Operand owner = needed("owner", selector, whole(Reg::rsi));
constexpr Operand bound_ec = needed("ec", selector, whole(Reg::rdx));

constexpr std::array create_pd_operands{owner, needed("crd", crd, whole(Reg::rdx))};
constexpr std::array create_ec_operands{
    owner,
    needed("utcb", address, Bit_run{Reg::rdx, 12, 52, 12}), // page aligned; 0 asks for a vCPU
    optional("cpu", count, Bit_run{Reg::rdx, 0, 12, 0}),
    optional("sp", address, whole(Reg::rax)),
    optional("evt", selector, whole(Reg::r8)),
};
constexpr std::array create_sc_operands{
    owner, bound_ec, needed("prio", count, Bit_run{Reg::rax, 0, 8, 0}), // the QPD's bits 7:0
    needed("quantum", count, Bit_run{Reg::rax, 12, 52, 0}), // the QPD's bits 63:12, in µs
};
constexpr std::array create_pt_operands{owner, bound_ec, optional("mtd", address, whole(Reg::rax)),
                                        needed("ip", address, whole(Reg::r8))};
constexpr std::array create_sm_operands{owner, optional("count", count, whole(Reg::rdx))};
constexpr std::array crd_in_rsi{needed("crd", crd, whole(Reg::rsi))};
constexpr std::array pt_ctrl_operands{needed("pid", count, whole(Reg::rsi))};
constexpr std::array sm_ctrl_operands{deadline};
// A call's receive windows for the reply's delegations and translations (the caller's UTCB,
// not registers).
constexpr std::array call_operands{declared("window", crd), declared("xlt", crd)};
constexpr std::array assign_pci_operands{needed("dev", address, whole(Reg::rsi)),
                                         optional("rid", address, whole(Reg::rdx))};
constexpr std::array assign_gsi_operands{needed("dev", address, whole(Reg::rsi)),
                                         optional("cpu", count, whole(Reg::rdx))};
constexpr std::array raw_operands{
    optional("rdi", address, whole(Reg::rdi)), optional("rsi", address, whole(Reg::rsi)),
    optional("rdx", address, whole(Reg::rdx)), optional("rax", address, whole(Reg::rax)),
    optional("r8", address, whole(Reg::r8))};

constexpr std::array call_flags{Flag_word{"nonblocking", nova::flag::call_disable_blocking}};
constexpr std::array create_ec_flags{Flag_word{"global", nova::flag::create_ec_global}};
constexpr std::array revoke_flags{Flag_word{"self", nova::flag::revoke_self}};
constexpr std::array sm_ctrl_flags{Flag_word{"down", nova::flag::sm_down},
                                   Flag_word{"zero", nova::flag::sm_zero}};

constexpr std::array sm_down_flags{Flag_word{"zero", nova::flag::sm_zero}};

// The declarations' operands (all whole words: the runner makes the hypercalls).
constexpr Operand declared_owner = declared("owner", selector, 32);
constexpr std::array ec_operands{declared_owner, declared("cpu", count), declared("window", crd),
                                 declared("xlt", crd)};
constexpr std::array portal_operands{Operand{"ec", selector, {}, 0, true, 0},
                                     declared("pid", count), declared("mtd", address)};
constexpr std::array thread_operands{declared("cpu", count), declared("prio", count, 1),
                                     declared("quantum", count, 1000), declared("window", crd),
                                     declared("xlt", crd)};

constexpr std::array lookup_outputs{needed("crd", crd, whole(Reg::rsi))};
constexpr std::array sc_ctrl_outputs{split_hi_lo("time", true)};
constexpr std::array assign_gsi_outputs{needed("msi_addr", address, whole(Reg::rsi)),
                                        needed("msi_data", address, whole(Reg::rdx))};
constexpr std::array raw_outputs{needed("rsi", address, whole(Reg::rsi)),
                                 needed("rdx", address, whole(Reg::rdx))};

// The kernel functions: the source and destination PDs, named by selectors in the root PD's
// object space, and a typed item ([C14] §3.4): the sender's CRD and the receiver's window, and
// for delegate the hotspot and the D, G and H flags. Each returns a CRD.
constexpr Operand src_pd = argument("src", selector);
constexpr Operand dst_pd = argument("dst", selector);
constexpr Operand window = argument("window", crd);
constexpr std::array delegate_operands{src_pd, dst_pd, argument("send", crd), window,
                                       argument("hotspot", selector, false)};
constexpr std::array translate_operands{src_pd, dst_pd, argument("crd", crd), window};
constexpr std::array delegate_flags{Flag_word{"dma", 1}, Flag_word{"guest", 2},
                                    Flag_word{"kernel", 4}};
constexpr std::array returned_crd{argument("crd", crd)};

// A kernel function's form: no number and no selector.
constexpr Form function_form(std::string_view mnemonic, std::span<Operand const> operands,
                             std::span<Flag_word const> flags, Kernel_function function)
{
    return {mnemonic, std::nullopt, false, operands, flags, returned_crd, function};
}

constexpr Form declaration_form(std::string_view mnemonic, std::span<Operand const> operands,
                                Declaration declaration, bool block)
{
    return {mnemonic, std::nullopt, true,        operands, {}, {}, std::nullopt,
            0,        false,        declaration, block};
}

constexpr std::array<Form, 24> forms{{
    {"call", Hypercall::call, true, call_operands, call_flags, {}, {}, 0, true},
    {"reply", Hypercall::reply, false, {}, {}, {}, {}, 0, true},
    {"create_pd", Hypercall::create_pd, true, create_pd_operands, {}, {}},
    {"create_ec", Hypercall::create_ec, true, create_ec_operands, create_ec_flags, {}},
    {"create_sc", Hypercall::create_sc, true, create_sc_operands, {}, {}},
    {"create_pt", Hypercall::create_pt, true, create_pt_operands, {}, {}},
    {"create_sm", Hypercall::create_sm, true, create_sm_operands, {}, {}},
    {"revoke", Hypercall::revoke, false, crd_in_rsi, revoke_flags, {}},
    {"lookup", Hypercall::lookup, false, crd_in_rsi, {}, lookup_outputs},
    {"ec_ctrl", Hypercall::ec_ctrl, true, {}, {}, {}},
    {"sc_ctrl", Hypercall::sc_ctrl, true, {}, {}, sc_ctrl_outputs},
    {"pt_ctrl", Hypercall::pt_ctrl, true, pt_ctrl_operands, {}, {}},
    {"sm_ctrl", Hypercall::sm_ctrl, true, sm_ctrl_operands, sm_ctrl_flags, {}},
    {"assign_pci", Hypercall::assign_pci, true, assign_pci_operands, {}, {}},
    {"assign_gsi", Hypercall::assign_gsi, true, assign_gsi_operands, {}, assign_gsi_outputs},
    {"raw", std::nullopt, false, raw_operands, {}, raw_outputs},
    function_form("delegate", delegate_operands, delegate_flags, Kernel_function::delegate),
    function_form("translate", translate_operands, {}, Kernel_function::translate),
    {"sm_up", Hypercall::sm_ctrl, true, {}, {}, {}},
    {"sm_down",
     Hypercall::sm_ctrl,
     true,
     sm_ctrl_operands,
     sm_down_flags,
     {},
     {},
     nova::flag::sm_down},
    declaration_form("slot", {}, Declaration::slot, false),
    declaration_form("ec", ec_operands, Declaration::ec, false),
    declaration_form("portal", portal_operands, Declaration::portal, true),
    declaration_form("thread", thread_operands, Declaration::thread, true),
}};

constexpr std::size_t raw_index = 15;
static_assert(forms[raw_index].mnemonic == "raw");

// Whether a table's name is `text`. Every statement looks up its mnemonic and each operand's
// name, and table names differ mostly at the end (create_pd, create_pt): comparing from there
// by hand settles most pairs in a character, where string_view's == calls memcmp.
bool is_named(std::string_view name, std::string_view text)
{
    if (name.size() != text.size()) return false;
    for (std::size_t i = name.size(); i-- > 0;) {
        if (name[i] != text[i]) return false;
    }
    return true;
}

template <typename Entry> auto find_named(std::span<Entry const> table, std::string_view text)
{
    return std::ranges::find_if(table,
                                [text](Entry const& entry) { return is_named(entry.name, text); });
}

std::optional<std::size_t> index_of(std::span<Operand const> operands, std::string_view name)
{
    auto it = find_named(operands, name);
    if (it == operands.end()) return std::nullopt;
    return static_cast<std::size_t>(it - operands.begin());
}

} // namespace

std::uint64_t Operand::value_mask() const
{
    if (bits().empty()) return ~0ull; // a kernel function's argument: a whole word
    std::uint64_t mask = 0;
    for (Bit_run const& run : bits()) {
        std::uint64_t ones = run.width == 64 ? ~0ull : (1ull << run.width) - 1;
        mask |= ones << run.from;
    }
    return mask;
}

Form_kind Form::kind() const
{
    if (declaration) return Form_kind::declaration;
    if (number) return Form_kind::hypercall;
    return function ? Form_kind::kernel_function : Form_kind::raw;
}

std::uint8_t Form::flag_mask() const
{
    std::uint8_t mask = 0;
    for (Flag_word const& flag : flags) mask = static_cast<std::uint8_t>(mask | flag.bit);
    return mask;
}

std::optional<std::size_t> Form::operand_index(std::string_view name) const
{
    return index_of(operands, name);
}

std::optional<std::size_t> Form::output_index(std::string_view name) const
{
    return index_of(outputs, name);
}

std::optional<std::uint8_t> Form::flag_bit(std::string_view name) const
{
    auto it = find_named(flags, name);
    if (it == flags.end()) return std::nullopt;
    return it->bit;
}

bool Form::binds() const
{
    if (declaration) return true;
    return number && *number >= nova::Hypercall::create_pd && *number <= nova::Hypercall::create_sm;
}

std::span<Form const> all_forms()
{
    return forms;
}

Form const* find_form(std::string_view mnemonic)
{
    auto it = std::ranges::find_if(
        forms, [mnemonic](Form const& form) { return is_named(form.mnemonic, mnemonic); });
    return it == forms.end() ? nullptr : &*it;
}

Form const* form_of(nova::Hypercall number)
{
    auto it = std::ranges::find(forms, std::optional{number}, &Form::number);
    return it == forms.end() ? nullptr : &*it;
}

Form const& raw_form()
{
    return forms[raw_index];
}

Operand const& selector_operand()
{
    return first_selector;
}

} // namespace hcl
