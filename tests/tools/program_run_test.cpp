// Program_run with every oracle: the reference model follows programs with threads, portals and
// the typed items of calls and replies, turns itself off only where it must (and says why), and
// a program that stops its own root is the program's doing, not a finding.
#include "program_run.hpp"

#include "parsed_program.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace {

using hcl::testing::parsed;

struct Result {
    hcl::Run_summary summary;
    std::string output;
};

Result run(std::string_view text)
{
    hcl::Program program = parsed(text);
    std::ostringstream out;
    fuzzprog::Program_run run{program, "run.hcl", {}, out};
    std::optional<hcl::Run_summary> summary = run.run();
    EXPECT_TRUE(summary.has_value()) << out.str();
    return {summary.value_or(hcl::Run_summary{}), out.str()};
}

bool model_stayed_on(Result const& result)
{
    return result.output.find("reference model off") == std::string::npos;
}

// A semaphore goes to the handler with the call, a PD capability comes back with the reply,
// and a translate item names the caller's semaphore in the handler's space: the model follows
// all three, in two PDs, on a thread's call.
constexpr std::string_view items_both_ways = R"(
create_pd $other owner=$root_pd crd=null
create_sm $s owner=$root_pd
slot $inbox
slot $back
ec $srv owner=$other window=obj:$inbox/0 xlt=obj:0/26
portal $pt ec=$srv {
    lookup crd=obj:$inbox/0 -> SUCCESS crd=obj:$inbox/0:0x2
    reply items=delegate(obj:$inbox/0:0x2)
}
thread $t cpu=0 {
    call $pt window=obj:$back/0 items=delegate(obj:$s/0:0x2),translate(obj:$s/0) -> SUCCESS
    lookup crd=obj:$back/0 -> SUCCESS crd=obj:$back/0:0x2
}
)";

TEST(Program_run, TheModelFollowsTheItemsOfCallsAndReplies)
{
    Result result = run(items_both_ways);
    EXPECT_TRUE(result.summary.ok()) << result.output;
    EXPECT_TRUE(model_stayed_on(result)) << result.output;
    EXPECT_EQ(result.summary.executed, 8u) << result.output; // a handler's reply is no call
}

TEST(Program_run, TheModelStopsWhereExecutionHoldsAnObjectWithoutCapabilities)
{
    Result result = run(R"(
create_sm $s owner=$root_pd
thread $t cpu=1 {
    sm_down $s
}
sm_down $s deadline=+100000 -> TIMEOUT
revoke crd=obj:$s/0 self
)");
    EXPECT_NE(result.output.find("note: reference model off from line 7: object #"),
              std::string::npos)
        << result.output;
    EXPECT_FALSE(result.summary.oracle_fired()) << result.output;
}

TEST(Program_run, TheModelStopsWhereNobodySeesTheItemsArrive)
{
    Result result = run(R"(
create_sm $s owner=$root_pd
ec $srv
create_pt $raw owner=$root_pd ec=$srv ip=0x1000
call $raw items=delegate(obj:$s/0)
)");
    EXPECT_NE(result.output.find("note: reference model off from line 5: a call carries typed "
                                 "items to a portal whose IP (0x1000) names no handler"),
              std::string::npos)
        << result.output;
}

TEST(Program_run, ARootThatBlocksForGoodEndsTheRunWithoutAFinding)
{
    Result result = run("create_sm $s owner=$root_pd\nsm_down $s\nsm_up $s -> SUCCESS\n");
    EXPECT_TRUE(result.summary.stuck);
    EXPECT_FALSE(result.summary.oracle_fired()) << result.output;
    EXPECT_EQ(result.summary.failed, 1u) << "line 3 never ran";
}

// Only the statements that never completed are reported as unmet; those that ran were judged.
TEST(Program_run, OnlyExpectationsOfStatementsThatNeverRanAreReportedUnreached)
{
    Result result = run("create_sm $s owner=$root_pd -> SUCCESS\nsm_up $s\nsm_down $s -> "
                        "SUCCESS\nsm_down $s\nsm_up $s -> SUCCESS\n");
    EXPECT_TRUE(result.summary.stuck);
    EXPECT_EQ(result.summary.expectations, 3u) << result.output;
    EXPECT_EQ(result.summary.failed, 1u) << result.output;
    EXPECT_NE(
        result.output.find("run.hcl:5:1: error: expected -> SUCCESS, but the statement never"),
        std::string::npos)
        << result.output;
    EXPECT_EQ(result.output.find("never completed", result.output.find("never completed") + 1),
              std::string::npos)
        << result.output;
}

TEST(Program_run, ARootThatTheKernelKillsEndsTheRunWithoutAFinding)
{
    Result result = run("ec_ctrl $root_ec\ncreate_sm $s owner=$root_pd\n");
    EXPECT_TRUE(result.summary.stuck);
    EXPECT_FALSE(result.summary.oracle_fired()) << result.output;
    EXPECT_NE(result.output.find("1: ec_ctrl $root_ec -> (killed)"), std::string::npos)
        << result.output;
}

TEST(Program_run, ARawReplyFrameEndsAHandlerLikeReply)
{
    Result result = run("ec $e\nportal $p ec=$e {\n    raw rdi=0x1\n    sm_up 5\n}\n"
                        "call $p -> SUCCESS\n");
    EXPECT_TRUE(result.summary.ok()) << result.output;
    EXPECT_EQ(result.output.find("sm_up"), std::string::npos)
        << "after the reply: " << result.output;
}

TEST(Program_run, WithoutTraceOnlyErrorsAreWritten)
{
    hcl::Program program = parsed("create_sm $s owner=$root_pd -> BAD_CAP\n");
    std::ostringstream out;
    fuzzprog::Program_run run{program, "run.hcl", {.trace = false}, out};
    std::optional<hcl::Run_summary> summary = run.run();
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->failed, 1u);
    EXPECT_EQ(out.str(), "run.hcl:1:1: error: expected -> BAD_CAP, got -> SUCCESS\n");
}

} // namespace
