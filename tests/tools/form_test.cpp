// The form table is the single definition of the language; these tests keep it consistent with
// the ABI and with itself, so a mistyped bit run cannot make two operands share a register bit.
#include "program/form.hpp"

#include <gtest/gtest.h>

#include <map>

namespace {

using namespace hcl;

TEST(Form, EveryHypercallNumberHasAFormNamedAsTheKernelNamesIt)
{
    for (unsigned number = 0; number <= 0xe; ++number) {
        auto hypercall = static_cast<nova::Hypercall>(number);
        Form const* form = form_of(hypercall);
        ASSERT_NE(form, nullptr) << number;
        EXPECT_EQ(form->mnemonic, nova::hypercall_name(hypercall));
        EXPECT_EQ(find_form(form->mnemonic), form);
    }
    EXPECT_EQ(form_of(static_cast<nova::Hypercall>(0xf)), nullptr);
}

TEST(Form, RawAndTheKernelFunctionsAreTheFormsWithoutANumber)
{
    EXPECT_EQ(find_form("raw"), &raw_form());
    EXPECT_EQ(raw_form().kind(), Form_kind::raw);
    EXPECT_EQ(all_forms().size(),
              24u); // 15 numbers, raw, 2 kernel functions, sm_up/down, 4 declarations
    for (Form const& form : all_forms()) {
        EXPECT_EQ(form.number.has_value(), form.kind() == Form_kind::hypercall) << form.mnemonic;
        EXPECT_EQ(form.function.has_value(), form.kind() == Form_kind::kernel_function)
            << form.mnemonic;
    }
    EXPECT_EQ(find_form("delegate")->function, Kernel_function::delegate);
    EXPECT_EQ(find_form("translate")->function, Kernel_function::translate);
}

// A kernel function has no frame: no selector in RDI, and whole-word operands without bit runs.
TEST(Form, KernelFunctionsTakeWholeWordsAndReturnACrd)
{
    for (Form const& form : all_forms()) {
        if (form.kind() != Form_kind::kernel_function) continue;
        EXPECT_FALSE(form.has_selector) << form.mnemonic;
        for (Operand const& operand : form.operands) {
            EXPECT_TRUE(operand.bits().empty()) << form.mnemonic << " " << operand.name;
            EXPECT_EQ(operand.value_mask(), ~0ull) << form.mnemonic << " " << operand.name;
        }
        for (std::string_view name : {"src", "dst", "window"}) {
            EXPECT_TRUE(form.operand_index(name).has_value()) << form.mnemonic << " " << name;
        }
        ASSERT_EQ(form.outputs.size(), 1u) << form.mnemonic;
        EXPECT_EQ(form.outputs[0].name, "crd");
        EXPECT_EQ(form.outputs[0].kind, Value_kind::crd);
    }
}

TEST(Form, DelegateHasTheHotspotAndTheDGHFlags)
{
    Form const& delegate = *find_form("delegate");
    EXPECT_FALSE(delegate.operands[*delegate.operand_index("hotspot")].required);
    EXPECT_TRUE(delegate.operands[*delegate.operand_index("send")].required);
    for (std::string_view flag : {"dma", "guest", "kernel"}) {
        EXPECT_TRUE(delegate.flag_bit(flag).has_value()) << flag;
    }
    EXPECT_FALSE(find_form("translate")->flag_bit("dma").has_value());
}

TEST(Form, FitsTheFixedSizeCallAndExpectation)
{
    for (Form const& form : all_forms()) {
        EXPECT_LE(form.operands.size(), max_operands) << form.mnemonic;
        EXPECT_LE(form.outputs.size(), max_outputs) << form.mnemonic;
    }
}

// Which bits of which register a list of operands occupies; fails on any overlap.
using Register_bits = std::map<Reg, std::uint64_t>;

void claim(Register_bits& claimed, Operand const& operand, std::string_view form)
{
    for (Bit_run const& run : operand.bits()) {
        ASSERT_LE(run.at + run.width, 64) << form << " " << operand.name;
        ASSERT_LE(run.from + run.width, 64) << form << " " << operand.name;
        std::uint64_t ones = run.width == 64 ? ~0ull : (1ull << run.width) - 1;
        std::uint64_t bits = ones << run.at;
        EXPECT_EQ(claimed[run.reg] & bits, 0u) << form << " " << operand.name;
        claimed[run.reg] |= bits;
    }
}

TEST(Form, OperandsNeverShareARegisterBit)
{
    for (Form const& form : all_forms()) {
        Register_bits claimed;
        // RDI's number and flags nibbles, and its selector when the form has one.
        if (form.number) claimed[Reg::rdi] = 0xff;
        if (form.has_selector) claim(claimed, selector_operand(), form.mnemonic);
        for (Operand const& operand : form.operands) claim(claimed, operand, form.mnemonic);
        Register_bits outputs;
        for (Operand const& output : form.outputs) claim(outputs, output, form.mnemonic);
    }
}

TEST(Form, FlagWordsAreDistinctBitsOfTheFlagsNibble)
{
    for (Form const& form : all_forms()) {
        std::uint8_t seen = 0;
        for (Flag_word const& flag : form.flags) {
            EXPECT_EQ(flag.bit & (flag.bit - 1), 0) << form.mnemonic << " " << flag.name;
            EXPECT_EQ(seen & flag.bit, 0) << form.mnemonic << " " << flag.name;
            EXPECT_LT(flag.bit, 0x10) << form.mnemonic << " " << flag.name;
            seen = static_cast<std::uint8_t>(seen | flag.bit);
        }
        EXPECT_EQ(form.flag_mask(), seen);
    }
}

TEST(Form, ValueMaskCoversTheOperandsBitRuns)
{
    Form const& create_ec = *find_form("create_ec");
    EXPECT_EQ(create_ec.operands[*create_ec.operand_index("utcb")].value_mask(), ~0xfffull);
    EXPECT_EQ(create_ec.operands[*create_ec.operand_index("cpu")].value_mask(), 0xfffull);
    Form const& create_sc = *find_form("create_sc");
    EXPECT_EQ(create_sc.operands[*create_sc.operand_index("quantum")].value_mask(),
              (1ull << 52) - 1);
    Form const& sm_ctrl = *find_form("sm_ctrl");
    EXPECT_EQ(sm_ctrl.operands[*sm_ctrl.operand_index("deadline")].value_mask(), ~0ull);
    EXPECT_EQ(selector_operand().value_mask(), (1ull << 56) - 1);
}

TEST(Form, FindsOperandsAndOutputsByName)
{
    Form const& lookup = *find_form("lookup");
    EXPECT_EQ(lookup.operand_index("crd"), 0u);
    EXPECT_EQ(lookup.output_index("crd"), 0u);
    EXPECT_FALSE(lookup.operand_index("owner").has_value());
    EXPECT_EQ(find_form("create_foo"), nullptr);
}

} // namespace
