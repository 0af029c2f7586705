// The runner against a scripted fake kernel: what it hands the kernel, what it prints, and how it
// judges expectations and invariants.
#include "program/frame.hpp"
#include "program/parser.hpp"
#include "program/runner.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <sstream>

namespace {

using namespace hcl;

// Answers each hypercall with the next scripted reply and remembers the frames it was given.
class Scripted_kernel final : public Hypercall_target {
  public:
    struct Reply {
        nova::Status status;
        std::uint64_t rsi{0}, rdx{0};
        std::string broken_invariant{};
    };

    explicit Scripted_kernel(std::deque<Reply> replies) : replies_{std::move(replies)} {}

    nova::Status execute(nova::Sys_regs& frame) override
    {
        frames.push_back(frame);
        current_ = replies_.front();
        replies_.pop_front();
        frame.rsi = current_.rsi;
        frame.rdx = current_.rdx;
        frame.set_status(current_.status);
        return current_.status;
    }

    std::string broken_invariant() override { return current_.broken_invariant; }

    std::vector<nova::Sys_regs> frames;

  private:
    std::deque<Reply> replies_;
    Reply current_{};
};

Program parsed(std::string_view text)
{
    Parse_result result = parse_program(text, "run.hcl");
    if (auto const* error = std::get_if<Parse_error>(&result)) {
        ADD_FAILURE() << to_string(*error);
        return {};
    }
    return std::get<Program>(result);
}

struct Run_record {
    Run_summary summary;
    std::string output;
};

Run_record run(std::string_view text, Scripted_kernel& kernel)
{
    std::ostringstream out;
    Run_summary summary = run_program(parsed(text), "run.hcl", kernel, out);
    return {summary, out.str()};
}

using enum nova::Status;

constexpr std::uint64_t obj_64 = 64ull << 12 | 0x1f << 2 | 3; // obj:64/0

TEST(Runner, HandsTheKernelTheEncodedFrames)
{
    std::string_view text = "create_pd 64 owner=32 crd=obj:0/0\nsm_ctrl 69 down deadline=7\n";
    Scripted_kernel kernel({{success}, {success}});
    run(text, kernel);
    Program program = parsed(text);
    ASSERT_EQ(kernel.frames.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        nova::Sys_regs expected = to_frame(program.instructions[i].call);
        EXPECT_EQ(kernel.frames[i].rdi, expected.rdi);
        EXPECT_EQ(kernel.frames[i].rsi, expected.rsi);
        EXPECT_EQ(kernel.frames[i].rdx, expected.rdx);
    }
}

TEST(Runner, PrintsOneCanonicalLinePerHypercallWithOutputsOnSuccess)
{
    Scripted_kernel kernel({{success, obj_64}, {bad_cap, obj_64}, {success, 0, 0}});
    Run_record result = run("# tour\n"
                            "lookup   crd=obj:64/0:0x1f\n"
                            "sc_ctrl 0x22\n"
                            "\n"
                            "create_sm 69 owner=32\n",
                            kernel);
    EXPECT_EQ(result.output, "2: lookup crd=obj:64/0 -> SUCCESS crd=obj:64/0\n"
                             "3: sc_ctrl 34 -> BAD_CAP\n"
                             "5: create_sm 69 owner=32 -> SUCCESS\n");
    EXPECT_EQ(result.summary.executed, 3u);
    EXPECT_EQ(result.summary.expectations, 0u);
    EXPECT_TRUE(result.summary.ok());
}

TEST(Runner, CountsMetExpectations)
{
    Scripted_kernel kernel({{success, 0, 42}, {bad_cap}});
    Run_record result = run("sc_ctrl 34 -> SUCCESS time=42\n"
                            "create_pd 32 owner=32 crd=null -> BAD_CAP\n",
                            kernel);
    EXPECT_EQ(result.summary.expectations, 2u);
    EXPECT_EQ(result.summary.failed, 0u);
    EXPECT_TRUE(result.summary.ok());
}

TEST(Runner, ReportsAnUnmetStatusAndGoesOn)
{
    Scripted_kernel kernel({{success}, {success}});
    Run_record result = run("create_pd 32 owner=32 crd=null -> BAD_CAP\nsc_ctrl 34\n", kernel);
    EXPECT_EQ(result.output, "1: create_pd 32 owner=32 crd=null -> SUCCESS\n"
                             "run.hcl:1:1: error: expected -> BAD_CAP, got -> SUCCESS\n"
                             "2: sc_ctrl 34 -> SUCCESS time=0\n");
    EXPECT_EQ(result.summary.failed, 1u);
    EXPECT_EQ(result.summary.executed, 2u);
    EXPECT_FALSE(result.summary.ok());
}

TEST(Runner, ChecksOnlyTheOutputsThatAreWritten)
{
    Scripted_kernel kernel({{success, 0}, {success, 0xfee00000, 0x21}});
    Run_record result = run("  lookup crd=obj:64/0 -> SUCCESS crd=obj:64/0\n"
                            "assign_gsi 200 dev=0x3000 -> SUCCESS msi_data=0x21\n",
                            kernel);
    EXPECT_EQ(result.summary.failed, 1u);
    EXPECT_NE(result.output.find("run.hcl:1:3: error: expected -> SUCCESS crd=obj:64/0, got -> "
                                 "SUCCESS crd=null\n"),
              std::string::npos)
        << result.output;
}

TEST(Runner, StopsAtABrokenInvariant)
{
    Scripted_kernel kernel({{success}, {success, 0, 0, "refcount"}, {success}});
    Run_record result = run("sc_ctrl 34\nsc_ctrl 34\nsc_ctrl 34\n", kernel);
    EXPECT_TRUE(result.summary.invariant_broken);
    EXPECT_EQ(result.summary.executed, 2u);
    EXPECT_FALSE(result.summary.ok());
    EXPECT_NE(result.output.find("run.hcl:2:1: error: kernel invariant broken: refcount\n"),
              std::string::npos)
        << result.output;
}

TEST(Runner, PrintsStatusBytesWithoutANameAsNumbers)
{
    Scripted_kernel kernel({{static_cast<nova::Status>(0x10)}});
    Run_record result = run("call 67 nonblocking -> 0x10\n", kernel);
    EXPECT_EQ(result.output, "1: call 67 nonblocking -> 0x10\n");
    EXPECT_TRUE(result.summary.ok());
}

} // namespace
