#include "fuzz_command.hpp"

#include "exit_code.hpp"
#include "inprocess_campaign.hpp"
#include "libfuzzer_campaign.hpp"
#include "novasim/build_paths.hpp"
#include "random.hpp"

#include <fstream>
#include <iostream>
#include <stdexcept>

#include <fmt/format.h>

namespace novasim {

namespace {

// The hand-written seeds and every finding kept in the tree (tests/fuzz/README.md).
std::vector<std::string> project_seeds()
{
    std::string root = source_dir;
    return {root + "/tests/fuzz/seeds", root + "/tests/fuzz/findings",
            root + "/tests/tools/programs/capabilities", root + "/tests/tools/programs/ipc"};
}

Campaign_options campaign_options(Fuzz_options const& o)
{
    Campaign_options c{
        o.seconds, o.runs,     o.jobs, o.seed != 0 ? o.seed : fuzz::seed_from_environment(1),
        o.corpus,  o.findings, {}};
    for (std::string const& dir : o.seeds.empty() ? project_seeds() : o.seeds) {
        c.seed_dirs.emplace_back(dir);
    }
    return c;
}

// Which engine runs: libFuzzer when its target exists (or is asked for), else in-process.
std::string pick_fuzzer(Fuzz_options const& o)
{
    std::string fuzzer = o.fuzzer.empty() ? default_fuzzer : o.fuzzer;
    bool exists = std::filesystem::is_regular_file(fuzzer);
    if (o.engine == "inprocess") return {};
    if (!exists && o.engine == "libfuzzer") {
        throw std::runtime_error(fmt::format(
            "no libFuzzer target at '{}' (build it with ./scripts/build fuzz, or give --fuzzer)",
            fuzzer));
    }
    if (!exists) {
        std::cout << fmt::format("novasim fuzz: no libFuzzer target at '{}' (./scripts/build fuzz "
                                 "builds it); the in-process engine runs instead\n",
                                 fuzzer);
        return {};
    }
    return fuzzer;
}

void list_findings(Campaign_options const& c, std::filesystem::file_time_type since)
{
    for (std::filesystem::path const& file : findings_since(c.findings_dir, since)) {
        std::ifstream in{file};
        std::string line, first, command;
        while (std::getline(in, line) && line.starts_with("#")) {
            if (first.empty()) first = line.substr(2);
            if (line.starts_with("# Reproduce: ")) command = line.substr(13);
        }
        std::cout << fmt::format("  {}\n    {}\n    reproduce: {}\n", file.string(), first,
                                 command);
    }
}

void list_model_off(Inprocess_result const& result)
{
    if (result.stats.runs == 0) return;
    std::cout << fmt::format("the reference model followed {} of {} runs to their end; it "
                             "stopped in the others because:\n",
                             result.stats.runs - result.model_off, result.stats.runs);
    for (auto const& [reason, count] : result.model_off_reasons) {
        std::cout << fmt::format("  {:>8}  {}\n", count, reason);
    }
}

int campaign(Fuzz_options const& options)
{
    Campaign_options c = campaign_options(options);
    std::string fuzzer = pick_fuzzer(options);
    std::filesystem::create_directories(c.findings_dir);
    auto since = std::filesystem::file_time_type::clock::now();
    std::cout << fmt::format(
        "novasim fuzz: {} engine, {} job(s), seed {}, corpus {}, findings {}\n",
        fuzzer.empty() ? "in-process" : "libFuzzer", c.jobs, c.seed, c.corpus_dir.string(),
        c.findings_dir.string());
    Campaign_stats stats;
    if (fuzzer.empty()) {
        Progress progress{std::cout, "distinct call features, largest of the workers"};
        Inprocess_result result = run_inprocess_campaign(c, progress);
        stats = result.stats;
        progress.finish(stats);
        list_model_off(result);
    } else {
        Progress progress{std::cout, "libFuzzer edges, largest of the jobs"};
        stats = run_libfuzzer_campaign(c, fuzzer, progress);
        progress.finish(stats);
    }
    std::cout << fmt::format("novasim fuzz: {} finding(s)\n", stats.findings);
    list_findings(c, since);
    return stats.findings == 0 ? exit_ok : exit_failed;
}

} // namespace

int run_fuzz_command(Fuzz_options const& options)
{
    if (options.seconds <= 0 && options.runs == 0) {
        std::cerr << "novasim fuzz: error: give a budget: --time SECONDS or --runs N\n";
        return exit_unusable;
    }
    try {
        return campaign(options);
    } catch (std::exception const& error) {
        std::cerr << "novasim fuzz: error: " << error.what() << "\n";
        return exit_unusable;
    }
}

} // namespace novasim
