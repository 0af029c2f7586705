// The parser: what it accepts, and for malformed text the exact line, column and message.
#include "program/parser.hpp"
#include "program/printer.hpp"

#include "parsed_program.hpp"

#include <gtest/gtest.h>

namespace {

using namespace hcl;

using hcl::testing::parsed;

Parse_error error_of(std::string_view text)
{
    Parse_result result = parse_program(text, "test.hcl");
    EXPECT_TRUE(std::holds_alternative<Parse_error>(result)) << text;
    auto const* error = std::get_if<Parse_error>(&result);
    return error != nullptr ? *error : Parse_error{};
}

TEST(Parser, SkipsCommentsAndBlankLinesAndKeepsLineNumbers)
{
    Program program = parsed("# a comment\n"
                             "\n"
                             "   \t\n"
                             "  sc_ctrl 34   # read the root SC's time\n"
                             "sc_ctrl 34\r\n");
    ASSERT_EQ(program.instructions.size(), 2u);
    EXPECT_EQ(program.instructions[0].where.line, 4u);
    EXPECT_EQ(program.instructions[0].where.column, 3u);
    EXPECT_EQ(program.instructions[1].where.line, 5u);
    EXPECT_EQ(program.instructions[0].call.selector, 34u);
}

TEST(Parser, AcceptsOperandsAndFlagsInAnyOrder)
{
    EXPECT_EQ(parsed("create_ec 65 global evt=0 sp=0 cpu=0 utcb=0x1000 owner=32"),
              parsed("create_ec 65 owner=32 utcb=4096 global"));
    EXPECT_EQ(parsed("sm_ctrl 69 down zero deadline=1000"),
              parsed("sm_ctrl 69 deadline=1000 zero down"));
}

TEST(Parser, FillsOperandsThatAreLeftOutWithTheirFallback)
{
    Call call = parsed("create_pt 67 owner=32 ec=68 ip=0x1000").instructions[0].call;
    EXPECT_EQ(call.form, find_form("create_pt"));
    EXPECT_EQ(call.operands[0], 32u);
    EXPECT_EQ(call.operands[1], 68u);
    EXPECT_EQ(call.operands[2], 0u); // mtd
    EXPECT_EQ(call.operands[3], 0x1000u);
}

TEST(Parser, ReadsExpectationsWithAndWithoutOutputs)
{
    Program program = parsed("create_pd 32 owner=32 crd=null -> BAD_CAP\n"
                             "lookup crd=obj:64/0 -> SUCCESS crd=obj:64/0:0x1f\n"
                             "sc_ctrl 34 -> SUCCESS\n");
    EXPECT_EQ(program.instructions[0].expect->status, nova::Status::bad_cap);
    EXPECT_EQ(program.instructions[1].expect->outputs[0],
              nova::Crd(0x40'000 | 0x1f << 2 | 3).raw());
    EXPECT_FALSE(program.instructions[2].expect->outputs[0].has_value());
}

TEST(Parser, FormatsErrorsAsFileLineColumn)
{
    Parse_error error = error_of("sc_ctrl 34\nfoo 1\n");
    EXPECT_EQ(
        to_string(error),
        "test.hcl:2:1: error: expected a hypercall, kernel function or declaration (call, reply, "
        "create_pd, create_ec, create_sc, create_pt, create_sm, revoke, lookup, ec_ctrl, "
        "sc_ctrl, pt_ctrl, sm_ctrl, assign_pci, assign_gsi, raw, delegate, translate, sm_up, "
        "sm_down, slot, ec, portal, thread), got "
        "'foo'");
}

struct Malformed {
    std::string_view text;
    std::uint32_t column;
    std::string_view message;
};

// Each line is malformed in one way; the column points at the offending token or character.
constexpr Malformed malformed[] = {
    {"create_pd", 10, "expected a selector after create_pd, got end of line"},
    {"create_pd owner=32 crd=null", 11, "expected a selector after create_pd, got 'owner=32'"},
    {"create_pd -> SUCCESS", 11, "expected a selector after create_pd, got '->'"},
    {"create_pd x owner=32 crd=null", 11, "expected a selector number for selector, got 'x'"},
    {"create_pd 99999999999999999999 owner=32 crd=null", 11,
     "expected a selector number for selector, got '99999999999999999999'"},
    {"create_pd 0x100000000000000 owner=32 crd=null", 11,
     "expected selector up to 72057594037927935, got '0x100000000000000'"},
    {"create_pd 64 owner=32", 22, "expected crd= (required by create_pd), got end of line"},
    {"create_pd 64 owner=32 -> SUCCESS", 23, "expected crd= (required by create_pd), got '->'"},
    {"create_pd 64 owner=pd crd=null", 20, "expected a selector number for owner=, got 'pd'"},
    {"create_pd 64 owner= crd=null", 20, "expected a selector number for owner=, got nothing"},
    {"create_pd 64 owner=32 crd=null bogus", 32,
     "expected an operand of create_pd (owner=, crd=), got 'bogus'"},
    {"create_pd 64 owner=32 pid=1 crd=null", 23,
     "expected an operand of create_pd (owner=, crd=), got 'pid=1'"},
    {"create_pd 64 owner=32 owner=33 crd=null", 23, "expected each operand once, got 'owner=33'"},
    {"create_pd 64 owner=32 crd=foo:1/0", 27,
     "expected a CRD (obj:, mem:, pio:, null or a number), got 'foo'"},
    {"lookup crd=obj:64", 18, "expected '/' and an order, got nothing"},
    {"lookup crd=obj:x/0", 16, "expected a base below 2^52, then '/', got 'x'"},
    {"lookup crd=obj:64/32", 19, "expected an order 0..31, got '32'"},
    {"revoke crd=mem:0/0:rwq", 22,
     "expected permissions (a mask up to 0x1f or letters from 'rwx'), got 'q'"},
    {"revoke crd=mem:0/0:rr", 21,
     "expected permissions (a mask up to 0x1f or letters from 'rwx'), got 'r'"},
    {"create_ec 65 owner=32 utcb=0x1001", 28, "expected utcb= aligned to 0x1000, got '0x1001'"},
    {"create_ec 65 owner=32 utcb=0x1000 cpu=4096", 39, "expected cpu= up to 4095, got '4096'"},
    {"create_ec 65 owner=32 utcb=0x1000 global global", 42,
     "expected each flag once, got 'global'"},
    {"create_sc 66 owner=32 ec=65 prio=256 quantum=1", 34, "expected prio= up to 255, got '256'"},
    {"sc_ctrl 66 extra", 12,
     "expected '->' or end of line (sc_ctrl takes no operands), got 'extra'"},
    {"reply 5", 7, "expected an operand of reply (words=, items=), got '5'"},
    {"sc_ctrl 66 ->", 14,
     "expected a status (SUCCESS, TIMEOUT, ABORTED, BAD_HYP, BAD_CAP, BAD_PAR, BAD_FTR, BAD_CPU, "
     "BAD_DEV, OOM), got end of line"},
    {"sc_ctrl 66 -> FINE", 15,
     "expected a status (SUCCESS, TIMEOUT, ABORTED, BAD_HYP, BAD_CAP, BAD_PAR, BAD_FTR, BAD_CPU, "
     "BAD_DEV, OOM), got 'FINE'"},
    {"sc_ctrl 66 -> BAD_CAP time=1", 23,
     "expected end of line (outputs are defined only on SUCCESS), got 'time=1'"},
    {"create_sm 69 owner=32 -> SUCCESS count=1", 34,
     "expected end of line (create_sm has no outputs), got 'count=1'"},
    {"lookup crd=null -> SUCCESS rsi=0", 28,
     "expected an output of lookup (crd=) or end of line, got 'rsi=0'"},
    {"lookup crd=null -> SUCCESS crd=null crd=null", 37,
     "expected each output once, got 'crd=null'"},
    {"lookup crd=null -> SUCCESS crd=nul", 32,
     "expected a CRD (obj:, mem:, pio:, null or a number), got 'nul'"},
    {"lookup crd=obj:64/0->SUCCESS", 19, "expected an order 0..31, got '0->SUCCESS'"},
    {"raw rdi=-1", 9, "expected an address or mask for rdi=, got '-1'"},
    {"sc_ctrl\t66 -> SUCCESS time=x", 28, "expected a number for time=, got 'x'"},
    {"delegate", 9, "expected src= (required by delegate), got end of line"},
    {"delegate 32 dst=64 send=obj:70/0 window=obj:5/0", 10,
     "expected an operand of delegate (src=, dst=, send=, window=, hotspot=, dma, guest, kernel), "
     "got '32'"},
    {"delegate src=32 dst=64 send=obj:70/0", 37,
     "expected window= (required by delegate), got end of line"},
    {"delegate src=32 dst=64 send=obj:70/0 window=obj:5/0 hotspot=x", 61,
     "expected a selector number for hotspot=, got 'x'"},
    {"delegate src=32 dst=64 send=obj:70/0 window=obj:5/0 dma dma", 57,
     "expected each flag once, got 'dma'"},
    {"delegate src=32 dst=64 send=obj:70/0 window=obj:5/0 self", 53,
     "expected an operand of delegate (src=, dst=, send=, window=, hotspot=, dma, guest, kernel), "
     "got 'self'"},
    {"delegate src=32 dst=64 send=obj:70/0 window=obj:5/0 -> SUCCESS crd=obj:5/0 rsi=0", 76,
     "expected an output of delegate (crd=) or end of line, got 'rsi=0'"},
    {"translate src=0x dst=32 crd=obj:20/0 window=obj:0/26", 15,
     "expected a selector number for src=, got '0x'"},
    {"translate src=65 dst=32 crd=obj:20/0 window=obj:0/40", 51,
     "expected an order 0..31, got '40'"},
    {"translate src=65 dst=32 crd=obj:20/0 window=obj:0/26 hotspot=1", 54,
     "expected an operand of translate (src=, dst=, crd=, window=), got 'hotspot=1'"},
    {"translate src=65 dst=32 crd=obj:20/0 window=obj:0/26 -> BAD_CAP crd=null", 65,
     "expected end of line (outputs are defined only on SUCCESS), got 'crd=null'"},
    {"translate src=65 dst=32 window=obj:0/26 -> SUCCESS", 41,
     "expected crd= (required by translate), got '->'"},
};

TEST(Parser, ReportsTheFirstMalformedTokenWithItsColumn)
{
    for (Malformed const& m : malformed) {
        std::string text = "# line 1\n\n" + std::string(m.text) + "\nfoo\n";
        Parse_error error = error_of(text);
        EXPECT_EQ(error.file, "test.hcl") << m.text;
        EXPECT_EQ(error.where.line, 3u) << m.text;
        EXPECT_EQ(error.where.column, m.column) << m.text;
        EXPECT_EQ(error.message, m.message) << m.text;
    }
}

TEST(Parser, TakesAnEmptyProgram)
{
    EXPECT_TRUE(parsed("").instructions.empty());
    EXPECT_TRUE(parsed("# nothing\n\n").instructions.empty());
}

} // namespace
