// What `novasim fuzz` reads and runs around its engines: libFuzzer's status lines, what a child
// run's output says fired, child processes, seed directories, and the minimising of a crash
// through children (tools/novasim/campaign.hpp).
#include "campaign.hpp"
#include "crash_report.hpp"
#include "libfuzzer_campaign.hpp"

#include "program/parser.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace novasim {
namespace {

std::filesystem::path scratch(std::string const& name)
{
    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("novasim_" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

TEST(Status_line, GivesRunsCoverageFeaturesAndCorpus)
{
    Campaign_stats stats;
    EXPECT_TRUE(parse_status_line("#4096\tpulse  cov: 4637 ft: 19762 corp: 677/384Kb lim: 8192 "
                                  "exec/s: 43 rss: 425Mb",
                                  stats));
    EXPECT_EQ(stats.runs, 4096u);
    EXPECT_EQ(stats.coverage, 4637u);
    EXPECT_EQ(stats.features, 19762u);
    EXPECT_EQ(stats.corpus, 677u);
    EXPECT_TRUE(parse_status_line("stat::number_of_executed_units: 5000", stats));
    EXPECT_EQ(stats.runs, 5000u);
    EXPECT_FALSE(parse_status_line("INFO: Seed: 1", stats));
}

Finished output(std::string text, Exit exit = {true, 1})
{
    return Finished{exit, std::move(text)};
}

TEST(Crash_signature, NamesWhatFiredWithoutTheNumbers)
{
    EXPECT_EQ(crash_signature(output("novasim: the model oracle fired (model):\nx\n")), "model");
    EXPECT_EQ(crash_signature(output("==7== ERROR: AddressSanitizer: heap-use-after-free on "
                                     "address 0x60\n")),
              "asan: heap-use-after-free");
    EXPECT_EQ(crash_signature(output("a.cpp:3:9: runtime error: shift exponent 70 is too large\n")),
              "ubsan: shift exponent # is too large");
    EXPECT_EQ(crash_signature(output("novasim: kernel assertion failed: n != 0 at k.cpp:12\n")),
              "assertion: n != #");
    EXPECT_EQ(crash_signature(output("f.hcl:2:1: error: kernel invariant broken: a node has "
                                     "rights (detail 0x0)\n")),
              "invariant: a node has rights");
    EXPECT_EQ(crash_signature(output("", {false, 11})), "crash: signal 11");
    EXPECT_EQ(crash_signature(output("all fine\n", {true, 0})), "");
}

TEST(Crash_report, IsTheOraclesReportWithoutLibFuzzersAccountOfTheAbort)
{
    Finished run = output("INFO: x\nnovasim: the model oracle fired (model):\nf.hcl:2:1: error: "
                          "the reference model differs: y\n==9== ERROR: libFuzzer: deadly "
                          "signal\n    #0 0x1 in f\n");
    EXPECT_EQ(crash_report(run), "novasim: the model oracle fired (model):\nf.hcl:2:1: error: "
                                 "the reference model differs: y\n");
}

TEST(Child_process, GivesItsOutputAndExitStatus)
{
    Finished done = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"});
    EXPECT_TRUE(done.exit.exited);
    EXPECT_EQ(done.exit.code, 3);
    EXPECT_EQ(done.output, "out\nerr\n");
    Finished killed = run_process({"sh", "-c", "kill -ABRT $$"});
    EXPECT_FALSE(killed.exit.exited);
    EXPECT_EQ(killed.exit.code, SIGABRT);
}

TEST(Child_process, ReadsLinesAsTheyCome)
{
    Child child{{"sh", "-c", "echo one; echo two"}};
    std::string line;
    std::vector<std::string> lines;
    while (!child.finished() || child.read_line(line, 100)) {
        if (child.read_line(line, 100)) lines.push_back(line);
    }
    EXPECT_EQ(lines, (std::vector<std::string>{"one", "two"}));
    EXPECT_FALSE(child.wait().crashed());
}

TEST(Seeds, AreProgramsOrAnErrorThatSaysWhere)
{
    std::filesystem::path dir = scratch("seeds");
    std::ofstream{dir / "good.hcl"} << "create_sm $s owner=$root_pd\n";
    EXPECT_EQ(load_seeds({dir}).size(), 1u);
    std::ofstream{dir / "bad.hcl"} << "create_sm $s owner=$root_pd\nsm_up $t\n";
    try {
        load_seeds({dir});
        ADD_FAILURE() << "a malformed seed must be refused";
    } catch (std::runtime_error const& error) {
        EXPECT_NE(std::string(error.what()).find("bad.hcl:2:7: error: expected a bound name"),
                  std::string::npos)
            << error.what();
    }
    EXPECT_THROW(load_seeds({dir / "missing"}), std::runtime_error);
}

// A judge that "crashes" (SIGABRT) on any program with an sm_up: what remains is that one.
TEST(Crash, IsMinimisedThroughChildrenAndWrittenDown)
{
    Campaign_options options;
    options.findings_dir = scratch("crash");
    std::vector<std::string> judge{"sh", "-c", "grep -q sm_up \"$0\" && kill -ABRT $$; exit 0"};
    std::string input = "create_sm $a owner=$root_pd\ncreate_sm $b owner=$root_pd count=2\n"
                        "sm_up $b\nlookup crd=obj:$a/0\n";
    fuzz::Finding_file file = record_crash(input, judge, options, "a test", "judge");
    std::ifstream in{file.path};
    std::string text{std::istreambuf_iterator<char>{in}, {}};
    EXPECT_TRUE(file.path.filename().string().starts_with("crash-")) << file.path;
    EXPECT_NE(text.find("\nsm_up "), std::string::npos) << text;
    EXPECT_EQ(text.find("lookup"), std::string::npos) << text;
    EXPECT_EQ(file.command, "judge " + file.path.string());
}

// An oracle's finding replays with the plain novasim, not with the sanitizer build that found it.
TEST(Crash, FoundByAnOracleIsReproducedByNovasimHypercalls)
{
    Campaign_options options;
    options.findings_dir = scratch("oracle_crash");
    std::vector<std::string> judge{
        "sh", "-c", "echo 'novasim: the model oracle fired (model):' >&2; kill -ABRT $$"};
    fuzz::Finding_file file =
        record_crash("create_sm $a owner=$root_pd\n", judge, options, "a test", "judge");
    EXPECT_TRUE(file.path.filename().string().starts_with("model-")) << file.path;
    EXPECT_EQ(file.command, "novasim hypercalls " + file.path.string());
}

} // namespace
} // namespace novasim
