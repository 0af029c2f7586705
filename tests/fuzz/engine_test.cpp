// How the fuzzer judges, minimises, writes down and searches: one input's verdict, the
// minimiser, a finding's file, and the in-process engine's determinism. NOVASIM_SEED picks the
// engine's seed (unset: 1).
#include "engine.hpp"
#include "minimiser.hpp"

#include "program/parser.hpp"
#include "program/printer.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace fuzz {
namespace {

hcl::Program parsed(std::string_view text)
{
    return std::get<hcl::Program>(hcl::parse_program(text, "test.hcl"));
}

TEST(Execution, TextThatIsNotAProgramIsRefused)
{
    Execution execution = execute("create_sm\n");
    EXPECT_FALSE(execution.parsed);
    EXPECT_FALSE(execution.found());
}

// An unmet expectation and a root that blocks for good are the program's business.
TEST(Execution, OnlyAnOracleIsAFinding)
{
    Execution execution = execute("create_sm $s owner=$root_pd -> BAD_CAP\nsm_down $s\n");
    EXPECT_TRUE(execution.parsed);
    EXPECT_FALSE(execution.found()) << execution.report;
    EXPECT_EQ(execution.calls, 1u);
}

TEST(Signature, NamesTheOracleAndTheInvariantButNotTheNumbers)
{
    Execution invariant{true, Finding::invariant,
                        "input.hcl:3:1: error: kernel invariant broken: a node has rights (detail "
                        "0x0)\n"};
    EXPECT_EQ(signature(invariant), "invariant: a node has rights");
    Execution simulation{true, Finding::simulation,
                         "input.hcl: error: the simulation failed: suspend on cpu 2 of EC 7\n"};
    EXPECT_EQ(signature(simulation),
              "simulation: input.hcl: error: the simulation failed: suspend on cpu # of EC #");
}

// The "oracle" here is a statement that must stay: everything else goes, and what stays is
// as simple as it gets.
TEST(Minimiser, KeepsOnlyWhatTheOracleNeeds)
{
    hcl::Program program = parsed("create_sm $a owner=$root_pd count=3\n"
                                  "create_pd $p owner=$root_pd crd=obj:$a/0\n"
                                  "ec $e cpu=1\nportal $q ec=$e pid=3 {\n    sm_up $a\n"
                                  "    lookup crd=obj:$a/0\n}\n"
                                  "revoke crd=obj:$a/0 self -> SUCCESS\n");
    auto needs_lookup = [](hcl::Program const& candidate) {
        return hcl::format_program(candidate).find("lookup") != std::string::npos;
    };
    hcl::Program small = minimise(program, needs_lookup);
    std::string text = hcl::format_program(small);
    EXPECT_EQ(statement_count(small), 2u) << text; // the portal and its lookup
    EXPECT_EQ(text.find("pid="), std::string::npos) << text;
    EXPECT_TRUE(needs_lookup(small));
}

TEST(Finding_file, SaysWhatFiredAndHowToReproduceIt)
{
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "novasim_finding_test";
    std::filesystem::remove_all(dir);
    hcl::Program program = parsed("create_sm $s owner=$root_pd\nsm_up $s\n");
    Fired fired{"model", "input.hcl:2:1: error: the reference model differs: something\n"};
    Finding_file file = write_finding(dir, program, fired, "a test");
    EXPECT_EQ(file.command, "novasim hypercalls " + file.path.string());
    EXPECT_EQ(file.path.parent_path(), dir);
    EXPECT_TRUE(file.path.filename().string().starts_with("model-"));
    std::ifstream in{file.path};
    std::stringstream text;
    text << in.rdbuf();
    std::string p = file.path.string();
    EXPECT_EQ(text.str(), "# A finding of novasim fuzz (a test): model fired.\n"
                          "#   " +
                              p +
                              ":5:1: error: the reference model differs: something\n"
                              "# Reproduce: novasim hypercalls " +
                              p +
                              "\n"
                              "create_sm $s owner=$root_pd\nsm_up $s\n");
    EXPECT_EQ(parsed(text.str()), program) << "the header is a comment";
    std::filesystem::remove_all(dir);
}

TEST(Engine, TheSameSeedSearchesTheSameWay)
{
    std::uint64_t seed = seed_from_environment(1);
    Engine_options options{.seed = seed, .runs = 60};
    Engine first{options}, second{options};
    Engine_stats a = first.run(), b = second.run();
    EXPECT_EQ(a.runs, 60u);
    EXPECT_EQ(a.calls, b.calls) << "NOVASIM_SEED=" << seed;
    EXPECT_EQ(a.features, b.features) << "NOVASIM_SEED=" << seed;
    EXPECT_EQ(a.corpus, b.corpus) << "NOVASIM_SEED=" << seed;
    EXPECT_GT(a.features, 20u) << "NOVASIM_SEED=" << seed;
    EXPECT_EQ(a.rejected, 0u) << "mutants always parse";
}

TEST(Engine, RunsItsSeedsFirstAndRefusesWhatDoesNotParse)
{
    Engine_options options{.seed = 1, .runs = 2, .seeds = {"create_sm $s owner=$root_pd\n", "x"}};
    Engine engine{options};
    Engine_stats stats = engine.run();
    EXPECT_EQ(stats.runs, 2u);
    EXPECT_EQ(stats.rejected, 1u);
    EXPECT_EQ(stats.corpus, 1u);
}

} // namespace
} // namespace fuzz
