// Numbers, statuses and operand values as the program text spells them.
#include "program/number_text.hpp"
#include "program/operand_text.hpp"
#include "program/status_text.hpp"

#include <gtest/gtest.h>

namespace {

using namespace hcl;

TEST(Number_text, ReadsDecimalAndHexOverTheWholeRange)
{
    EXPECT_EQ(parse_number("0"), 0u);
    EXPECT_EQ(parse_number("4096"), 4096u);
    EXPECT_EQ(parse_number("0x1000"), 0x1000u);
    EXPECT_EQ(parse_number("0xABCdef"), 0xabcdefu);
    EXPECT_EQ(parse_number("18446744073709551615"), ~0ull);
    EXPECT_EQ(parse_number("0xffffffffffffffff"), ~0ull);
}

TEST(Number_text, RejectsAnythingButAWholeNumber)
{
    for (std::string_view text : {"", "0x", "-1", "+1", "12a", "0x1g", "18446744073709551616",
                                  "0x10000000000000000", "1 ", "0X10"}) {
        EXPECT_FALSE(parse_number(text).has_value()) << "'" << text << "'";
    }
}

TEST(Number_text, PrintsDecimalAndLowerCaseHex)
{
    EXPECT_EQ(format_decimal(42), "42");
    EXPECT_EQ(format_hex(0), "0x0");
    EXPECT_EQ(format_hex(0xABC), "0xabc");
}

TEST(Status_text, SpellsEveryStatusUpperCase)
{
    EXPECT_EQ(format_status(nova::Status::success), "SUCCESS");
    EXPECT_EQ(format_status(nova::Status::bad_cap), "BAD_CAP");
    EXPECT_EQ(format_status(nova::Status::oom), "OOM");
    EXPECT_EQ(
        status_list(),
        "SUCCESS, TIMEOUT, ABORTED, BAD_HYP, BAD_CAP, BAD_PAR, BAD_FTR, BAD_CPU, BAD_DEV, OOM");
    for (unsigned value = 0; value <= 9; ++value) {
        auto status = static_cast<nova::Status>(value);
        EXPECT_EQ(parse_status(format_status(status)), status);
    }
}

TEST(Status_text, SpellsUnnamedStatusBytesAsNumbers)
{
    auto flags_echo = static_cast<nova::Status>(0x10);
    EXPECT_EQ(format_status(flags_echo), "0x10");
    EXPECT_EQ(parse_status("0x10"), flags_echo);
    EXPECT_EQ(parse_status("4"), nova::Status::bad_cap);
    EXPECT_FALSE(parse_status("0x100").has_value());
    EXPECT_FALSE(parse_status("success").has_value());
    EXPECT_FALSE(parse_status("FINE").has_value());
}

Operand const& operand(std::string_view form, std::string_view name)
{
    Form const& f = *find_form(form);
    return f.operands[*f.operand_index(name)];
}

std::string expected_of(Value_result const& result)
{
    auto const* error = std::get_if<Value_error>(&result);
    return error != nullptr ? error->expected : "(no error)";
}

TEST(Operand_text, PrintsByKind)
{
    EXPECT_EQ(format_operand_value(operand("create_pd", "owner"), 32), "32");
    EXPECT_EQ(format_operand_value(operand("create_ec", "utcb"), 0x1000), "0x1000");
    EXPECT_EQ(format_operand_value(operand("create_sm", "count"), 7), "7");
    EXPECT_EQ(format_operand_value(operand("create_pd", "crd"), 0), "null");
}

TEST(Operand_text, AcceptsEitherRadixForEveryKind)
{
    EXPECT_EQ(std::get<std::uint64_t>(parse_operand_value(operand("create_pd", "owner"), "0x20")),
              32u);
    EXPECT_EQ(std::get<std::uint64_t>(parse_operand_value(operand("create_ec", "utcb"), "4096")),
              4096u);
}

TEST(Operand_text, RejectsValuesTheFrameCannotCarry)
{
    EXPECT_EQ(expected_of(parse_operand_value(operand("create_sc", "prio"), "256")),
              "prio= up to 255");
    EXPECT_EQ(expected_of(parse_operand_value(operand("create_ec", "utcb"), "0x1001")),
              "utcb= aligned to 0x1000");
    EXPECT_EQ(expected_of(parse_operand_value(operand("create_ec", "cpu"), "4096")),
              "cpu= up to 4095");
    EXPECT_EQ(expected_of(parse_operand_value(selector_operand(), "0x100000000000000")),
              "selector up to 72057594037927935");
    EXPECT_EQ(expected_of(parse_operand_value(operand("create_pd", "owner"), "pd")),
              "a selector number for owner=");
    EXPECT_EQ(expected_of(parse_operand_value(operand("raw", "rdi"), "-1")),
              "an address or mask for rdi=");
}

} // namespace
