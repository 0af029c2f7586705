// Selectors as named resources: names get deterministic selectors, numbers written in the
// program are skipped, and malformed names, blocks and declarations fail at their column.
#include "program/parser.hpp"
#include "program/resources.hpp"

#include "parsed_program.hpp"

#include <gtest/gtest.h>

namespace {

using namespace hcl;

using hcl::testing::parsed;

std::string error_of(std::string_view text)
{
    Parse_result result = parse_program(text, "test.hcl");
    auto const* error = std::get_if<Parse_error>(&result);
    return error ? to_string(*error) : "no error";
}

TEST(Names, BindInOrderSkippingWrittenSelectors)
{
    Program program = parsed("create_sm $a owner=$root_pd\ncreate_sm 1025 owner=32\n"
                             "thread $t {\n sm_up $a\n}\ncreate_sm $b owner=$root_pd\n");
    ASSERT_EQ(program.instructions.size(), 4u);
    EXPECT_EQ(program.instructions[0].call.selector, first_named_selector);
    EXPECT_EQ(program.instructions[0].call.operands[0], 32u);
    EXPECT_EQ(program.instructions[2].call.selector, first_named_selector + 2); // and its SC
    EXPECT_EQ(program.instructions[2].block[0].call.selector, first_named_selector);
    EXPECT_EQ(program.instructions[3].call.selector, first_named_selector + 4);
}

TEST(Names, CrdBasesAndItemsResolve)
{
    Program program = parsed("create_sm $a owner=32\nrevoke crd=obj:$a/0:0x3\n"
                             "call 5 items=delegate(obj:$a/1)\n");
    EXPECT_EQ(nova::Crd{program.instructions[1].call.operands[0]}.base(), first_named_selector);
    EXPECT_EQ(nova::Crd{program.instructions[2].message.items[0].crd}.base(), first_named_selector);
}

struct Malformed {
    std::string_view text;
    std::string_view error;
};

constexpr Malformed malformed[] = {
    {"sm_up $nope\n", "test.hcl:1:7: error: expected a bound name (a create_* or declaration "
                      "before it binds one), got '$nope'"},
    {"create_sm $a owner=32\ncreate_sm $a owner=32\n",
     "test.hcl:2:11: error: expected a new name ($a is bound at 1:11), got '$a'"},
    {"create_sm $root_pd owner=32\n",
     "test.hcl:1:11: error: expected a new name ($root_pd is predefined), got '$root_pd'"},
    {"ec $e\nportal $p ec=$e {\n reply\n",
     "test.hcl:2:17: error: expected '}' closing this block, got end of file"},
    {"thread $t cpu=1 stack=5 {\n}\n", "test.hcl:1:17: error: expected an operand of thread "
                                       "(cpu=, prio=, quantum=, window=, xlt=), got 'stack=5'"},
    {"thread $t\n", "test.hcl:1:1: error: expected '{' after thread (it takes a block of "
                    "statements)"},
    {"}\n", "test.hcl:1:1: error: expected a statement, got '}' (no block is open)"},
    {"thread $t {\n ec $e\n}\n",
     "test.hcl:2:2: error: expected a call (declarations belong at top level), got 'ec'"},
    {"revoke crd=obj:$x/0\n", "test.hcl:1:16: error: expected a bound name (a create_* or "
                              "declaration before it binds one), got '$x'"},
    {"call 5 items=delegate(obj:1/0\n", "test.hcl:1:14: error: expected a typed item "
                                        "(delegate(CRD[,HOTSPOT][,dma][,guest][,kernel]) or "
                                        "translate(CRD)), got 'delegate(obj:1/0'"},
    {"call 5 items=delegate(obj:1/0,dma,7)\n",
     "test.hcl:1:35: error: expected a flag (dma, guest, kernel), each once, got '7'"},
    {"call 5 items=delegate(obj:1/0,dma,dma)\n",
     "test.hcl:1:35: error: expected a flag (dma, guest, kernel), each once, got 'dma'"},
    {"call 5 items=delegate(obj:1/0,x)\n",
     "test.hcl:1:31: error: expected a hotspot number or a flag (dma, guest, kernel), got 'x'"},
    {"call 5 words=1,x\n", "test.hcl:1:16: error: expected a word (a number), got 'x'"},
    {"sm_down 5 deadline=+x\n", "test.hcl:1:21: error: expected a number for deadline=, got 'x'"},
};

TEST(Names, MalformedProgramsFailAtTheirColumn)
{
    for (Malformed const& m : malformed) EXPECT_EQ(error_of(m.text), m.error) << m.text;
}

// A message lives in the UTCB: 254 items (two words each) fit alone, not with one more word.
TEST(Names, AMessageMustFitTheUtcb)
{
    std::string items = "delegate(obj:1/0)";
    for (int i = 1; i < 254; ++i) items += ",translate(obj:2/0)";
    EXPECT_EQ(error_of("call 5 items=" + items + "\n"), "no error");
    EXPECT_EQ(error_of("call 5 items=" + items + " words=7\n"),
              "test.hcl:1:" + std::to_string(21 + items.size()) +
                  ": error: expected a message that fits the UTCB (at most 508 words: the "
                  "untyped words and two per typed item), got 509 words");
}

} // namespace
