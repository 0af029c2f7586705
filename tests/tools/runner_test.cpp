// The runner against a scripted fake kernel: what it hands the kernel, what it prints, and how it
// judges expectations and invariants.
#include "program/frame.hpp"
#include "program/parser.hpp"
#include "program/runner.hpp"

#include "parsed_program.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <sstream>

namespace {

using namespace hcl;

// Answers each call with the next scripted reply and remembers what it was given: the frames of
// hypercalls and the arguments of kernel functions.
class Scripted_kernel final : public Hypercall_target {
  public:
    struct Reply {
        nova::Status status;
        std::uint64_t rsi{0}, rdx{0}; // a kernel function returns `rsi` as its CRD
        std::string broken_invariant{};
    };

    explicit Scripted_kernel(std::deque<Reply> replies) : replies_{std::move(replies)} {}

    nova::Status execute(nova::Sys_regs& frame) override
    {
        frames.push_back(frame);
        Reply const& reply = next();
        frame.rsi = reply.rsi;
        frame.rdx = reply.rdx;
        frame.set_status(reply.status);
        return reply.status;
    }

    Kernel_result delegate(Delegate_request const& request) override
    {
        delegations.push_back(request);
        return function_result();
    }

    Kernel_result translate(Translate_request const& request) override
    {
        translations.push_back(request);
        return function_result();
    }

    std::string broken_invariant() override { return current_.broken_invariant; }

    std::vector<nova::Sys_regs> frames;
    std::vector<Delegate_request> delegations;
    std::vector<Translate_request> translations;

  private:
    Reply const& next()
    {
        current_ = replies_.front();
        replies_.pop_front();
        return current_;
    }

    Kernel_result function_result()
    {
        Reply const& reply = next();
        return {reply.status, nova::Crd{reply.rsi}};
    }

    std::deque<Reply> replies_;
    Reply current_{};
};

Program parsed(std::string_view text)
{
    return hcl::testing::parsed(text, "run.hcl");
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
    EXPECT_EQ(result.summary.fired, Oracle::invariant);
    EXPECT_EQ(result.summary.executed, 2u);
    EXPECT_FALSE(result.summary.ok());
    EXPECT_NE(result.output.find("run.hcl:2:1: error: kernel invariant broken: refcount\n"),
              std::string::npos)
        << result.output;
}

TEST(Runner, HandsKernelFunctionsTheirArgumentsAndNoFrame)
{
    Scripted_kernel kernel({{success}, {success}, {success}});
    run("delegate src=32 dst=64 send=obj:70/0:0x2 window=obj:16/4 hotspot=21 dma kernel\n"
        "delegate src=64 dst=65 send=mem:0x10/2 window=mem:0x20/2 guest\n"
        "translate src=65 dst=32 crd=obj:20/0 window=obj:0/26\n",
        kernel);
    EXPECT_TRUE(kernel.frames.empty());
    ASSERT_EQ(kernel.delegations.size(), 2u);
    Delegate_request const& first = kernel.delegations[0];
    EXPECT_EQ(first.src, 32u);
    EXPECT_EQ(first.dst, 64u);
    EXPECT_EQ(first.send, nova::Crd(nova::Crd::Type::obj, 70, 0, nova::perm::sm_dn));
    EXPECT_EQ(first.window, nova::Crd(nova::Crd::Type::obj, 16, 4, nova::perm::all));
    EXPECT_EQ(first.hotspot, 21u);
    EXPECT_TRUE(first.dma);
    EXPECT_FALSE(first.guest);
    EXPECT_TRUE(first.kernel);
    Delegate_request const& second = kernel.delegations[1];
    EXPECT_EQ(second.hotspot, 0u);
    EXPECT_FALSE(second.dma);
    EXPECT_TRUE(second.guest);
    EXPECT_FALSE(second.kernel);
    ASSERT_EQ(kernel.translations.size(), 1u);
    EXPECT_EQ(kernel.translations[0].src, 65u);
    EXPECT_EQ(kernel.translations[0].dst, 32u);
    EXPECT_EQ(kernel.translations[0].crd, nova::Crd(nova::Crd::Type::obj, 20, 0, nova::perm::all));
    EXPECT_EQ(kernel.translations[0].window.order(), 26);
}

TEST(Runner, ReportsTheCrdAKernelFunctionReturnsOnSuccessOnly)
{
    Scripted_kernel kernel({{success, obj_64}, {success, 0}, {bad_cap, obj_64}, {oom, obj_64}});
    Run_record result = run("delegate src=32 dst=64 send=obj:64/0 window=obj:64/0\n"
                            "translate src=64 dst=32 crd=obj:5/0 window=obj:0/26 -> SUCCESS\n"
                            "translate src=99 dst=32 crd=obj:5/0 window=obj:0/26 -> BAD_CAP\n"
                            "delegate src=32 dst=64 send=obj:64/0 window=obj:64/0 -> OOM\n",
                            kernel);
    EXPECT_EQ(result.output,
              "1: delegate src=32 dst=64 send=obj:64/0 window=obj:64/0 -> SUCCESS crd=obj:64/0\n"
              "2: translate src=64 dst=32 crd=obj:5/0 window=obj:0/26 -> SUCCESS crd=null\n"
              "3: translate src=99 dst=32 crd=obj:5/0 window=obj:0/26 -> BAD_CAP\n"
              "4: delegate src=32 dst=64 send=obj:64/0 window=obj:64/0 -> OOM\n");
    EXPECT_TRUE(result.summary.ok());
    EXPECT_EQ(result.summary.executed, 4u);
}

TEST(Runner, JudgesTheExpectationsOfKernelFunctions)
{
    Scripted_kernel kernel({{success, obj_64}, {success, obj_64, 0, "mdb"}});
    Run_record result = run("delegate src=32 dst=64 send=obj:64/0 window=obj:64/0 -> SUCCESS "
                            "crd=null\n"
                            "translate src=64 dst=32 crd=obj:5/0 window=obj:0/26 -> SUCCESS "
                            "crd=obj:64/0\n"
                            "translate src=64 dst=32 crd=obj:5/0 window=obj:0/26\n",
                            kernel);
    EXPECT_EQ(result.summary.failed, 1u);
    EXPECT_EQ(result.summary.executed, 2u);
    EXPECT_EQ(result.summary.fired, Oracle::invariant);
    EXPECT_NE(result.output.find("run.hcl:1:1: error: expected -> SUCCESS crd=null, got -> "
                                 "SUCCESS crd=obj:64/0\n"),
              std::string::npos)
        << result.output;
    EXPECT_NE(result.output.find("run.hcl:2:1: error: kernel invariant broken: mdb\n"),
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
