// CRD spelling against the bit layout of [C14] §3.3: type 1:0, perms 6:2, order 11:7, base 63:12.
#include "program/crd_text.hpp"

#include <gtest/gtest.h>

namespace {

using namespace hcl;
using nova::Crd;

std::uint64_t word(std::uint64_t type, std::uint64_t base, std::uint64_t order, std::uint64_t perms)
{
    return type | perms << 2 | order << 7 | base << 12;
}

std::uint64_t parsed(std::string_view text)
{
    Value_result result = parse_crd(text);
    if (auto const* error = std::get_if<Value_error>(&result)) {
        ADD_FAILURE() << text << ": expected " << error->expected << ", got " << error->found;
        return 0;
    }
    return std::get<std::uint64_t>(result);
}

Value_error error_of(std::string_view text)
{
    Value_result result = parse_crd(text);
    EXPECT_TRUE(std::holds_alternative<Value_error>(result)) << text;
    auto const* error = std::get_if<Value_error>(&result);
    return error != nullptr ? *error : Value_error{};
}

TEST(Crd_text, ReadsEachTypeIntoTheAbiBitLayout)
{
    EXPECT_EQ(parsed("obj:64/0"), word(3, 64, 0, 0x1f));
    EXPECT_EQ(parsed("mem:0x100/2:rw"), word(1, 0x100, 2, 0x3));
    EXPECT_EQ(parsed("pio:0x3f8/3:a"), word(2, 0x3f8, 3, 0x1));
    EXPECT_EQ(parsed("obj:32/5:0x3"), word(3, 32, 5, 0x3));
    EXPECT_EQ(parsed("mem:0/31:7"), word(1, 0, 31, 0x7));
    EXPECT_EQ(parsed("null"), 0u);
    EXPECT_EQ(parsed("0x1000"), 0x1000u);
}

TEST(Crd_text, AgreesWithTheKernelsCrdClass)
{
    EXPECT_EQ(parsed("mem:0x100/2:rwx"), Crd(Crd::Type::mem, 0x100, 2, 7).raw());
    EXPECT_EQ(parsed("obj:0/0"), Crd(Crd::Type::obj, 0, 0, nova::perm::all).raw());
}

TEST(Crd_text, PermissionLettersAreOrderFree)
{
    EXPECT_EQ(parsed("mem:1/0:xr"), parsed("mem:1/0:rx"));
    EXPECT_EQ(parsed("mem:1/0:xr"), word(1, 1, 0, 0x5));
}

TEST(Crd_text, PrintsTheCanonicalSpelling)
{
    EXPECT_EQ(format_crd(Crd(word(3, 64, 0, 0x1f))), "obj:64/0");
    EXPECT_EQ(format_crd(Crd(word(3, 64, 0, 0x3))), "obj:64/0:0x3");
    EXPECT_EQ(format_crd(Crd(word(1, 0x100, 2, 0x3))), "mem:0x100/2:rw");
    EXPECT_EQ(format_crd(Crd(word(1, 0x100, 2, 0x5))), "mem:0x100/2:rx");
    EXPECT_EQ(format_crd(Crd(word(1, 0x100, 2, 0x9))), "mem:0x100/2:0x9");
    EXPECT_EQ(format_crd(Crd(word(1, 0x100, 2, 0))), "mem:0x100/2:0x0");
    EXPECT_EQ(format_crd(Crd(word(2, 0x3f8, 3, 0x1))), "pio:0x3f8/3:a");
    EXPECT_EQ(format_crd(Crd(word(2, 0x3f8, 3, 0x3))), "pio:0x3f8/3:0x3");
    EXPECT_EQ(format_crd(Crd(0)), "null");
    EXPECT_EQ(format_crd(Crd(0x1000)), "0x1000");
}

TEST(Crd_text, EveryWordSurvivesPrintingAndReading)
{
    std::uint64_t const words[] = {0,
                                   1,
                                   0x1000,
                                   word(3, (1ull << 52) - 1, 31, 0x1f),
                                   word(1, 0xabcde, 17, 0),
                                   word(2, 0xffff, 0, 0x10),
                                   ~0ull};
    for (std::uint64_t w : words) EXPECT_EQ(parsed(format_crd(Crd(w))), w) << format_crd(Crd(w));
}

TEST(Crd_text, PointsAtTheBrokenPart)
{
    Value_error type = error_of("foo:1/0");
    EXPECT_EQ(type.offset, 0u);
    EXPECT_EQ(type.found, "foo");
    EXPECT_EQ(type.expected, "a CRD (obj:, mem:, pio:, null or a number)");

    Value_error base = error_of("obj:x/0");
    EXPECT_EQ(base.offset, 4u);
    EXPECT_EQ(base.found, "x");

    Value_error order = error_of("obj:64/32");
    EXPECT_EQ(order.offset, 7u);
    EXPECT_EQ(order.expected, "an order 0..31");

    Value_error slash = error_of("obj:64");
    EXPECT_EQ(slash.offset, 6u);
    EXPECT_EQ(slash.found, "");

    Value_error letter = error_of("mem:0/0:rwq");
    EXPECT_EQ(letter.offset, 10u);
    EXPECT_EQ(letter.found, "q");
}

TEST(Crd_text, RejectsWhatTheWordCannotHold)
{
    error_of("obj:0x10000000000000/0"); // base of 53 bits
    error_of("obj:0/0:0x20");           // a sixth permission bit
    error_of("mem:0/0:rr");             // a letter twice
    error_of("pio:0/0:r");              // a memory letter on ports
    error_of("obj:0/0:r");              // objects have no letters
    error_of("mem:0/0:");               // an empty mask
    error_of("mem");
    error_of("");
    error_of("12x");
}

} // namespace
