#include "libfuzzer_campaign.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include <fmt/format.h>

namespace novasim {

namespace {

using Clock = std::chrono::steady_clock;

struct Job {
    std::unique_ptr<Child> child;
    std::uint64_t seed{0};
    std::uint64_t runs_left{0}; // 0: no limit
    Campaign_stats last{};      // of the running process
    Campaign_stats finished{};  // of the earlier ones
};

std::string read_file(std::filesystem::path const& path)
{
    std::ifstream in{path, std::ios::binary};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

class Campaign {
  public:
    Campaign(Campaign_options const& options, std::string fuzzer, Progress& progress)
        : options_{options}, fuzzer_{std::move(fuzzer)}, progress_{progress}, start_{Clock::now()},
          artifacts_{options.findings_dir / ".libfuzzer"}
    {
    }

    Campaign_stats run();

  private:
    std::vector<std::string> arguments(Job const& job) const;
    double seconds_left() const;
    void start(Job& job);
    void read(Job& job);
    void ended(Job& job);
    void record_artifacts(std::uint64_t seed);
    Campaign_stats totals() const;

    Campaign_options const& options_;
    std::string fuzzer_;
    Progress& progress_;
    Clock::time_point start_;
    std::filesystem::path artifacts_;
    std::vector<Job> jobs_;
    std::size_t findings_{0};
};

std::vector<std::string> Campaign::arguments(Job const& job) const
{
    std::vector<std::string> argv{fuzzer_,
                                  "-max_len=8192",
                                  "-timeout=30",
                                  "-rss_limit_mb=4096",
                                  "-print_final_stats=1",
                                  fmt::format("-seed={}", job.seed),
                                  fmt::format("-artifact_prefix={}/", artifacts_.string())};
    if (job.runs_left != 0) argv.push_back(fmt::format("-runs={}", job.runs_left));
    if (options_.seconds > 0) {
        argv.push_back(fmt::format("-max_total_time={}", static_cast<long>(seconds_left() + 0.5)));
    }
    argv.push_back(options_.corpus_dir.string());
    for (auto const& dir : options_.seed_dirs) argv.push_back(dir.string());
    return argv;
}

double Campaign::seconds_left() const
{
    if (options_.seconds <= 0) return 0;
    return options_.seconds - std::chrono::duration<double>(Clock::now() - start_).count();
}

void Campaign::start(Job& job)
{
    job.last = {};
    job.child = std::make_unique<Child>(arguments(job));
}

void Campaign::read(Job& job)
{
    for (std::string line; job.child->read_line(line, 0);) parse_status_line(line, job.last);
    if (job.child->finished()) ended(job);
}

// A job ends at its budget, or at a crash; then its artifact is a finding and the job goes on.
void Campaign::ended(Job& job)
{
    Exit exit = job.child->wait();
    job.child.reset();
    job.finished.runs += job.last.runs;
    job.finished.coverage = std::max(job.finished.coverage, job.last.coverage);
    job.finished.features = std::max(job.finished.features, job.last.features);
    job.finished.corpus = std::max(job.finished.corpus, job.last.corpus);
    if (!exit.crashed()) return;
    record_artifacts(job.seed);
    if (job.runs_left != 0) {
        job.runs_left -= std::min(job.runs_left, job.last.runs + 1);
        if (job.runs_left == 0) return;
    }
    if (options_.seconds > 0 && seconds_left() < 1) return;
    job.seed += 0x1'0000;
    start(job);
}

void Campaign::record_artifacts(std::uint64_t seed)
{
    if (!std::filesystem::is_directory(artifacts_)) return;
    for (auto const& entry : std::filesystem::directory_iterator{artifacts_}) {
        std::string input = read_file(entry.path());
        std::filesystem::remove(entry.path());
        fuzz::Finding_file file = record_crash(input, {fuzzer_}, options_,
                                               fmt::format("libFuzzer, seed {}", seed), fuzzer_);
        ++findings_;
        std::cout << fmt::format("\nnovasim fuzz: {} -> {}\n", entry.path().filename().string(),
                                 file.path.string());
    }
}

Campaign_stats Campaign::totals() const
{
    Campaign_stats total{};
    for (Job const& job : jobs_) {
        total.runs += job.finished.runs + (job.child ? job.last.runs : 0);
        total.coverage = std::max({total.coverage, job.finished.coverage, job.last.coverage});
        total.features = std::max({total.features, job.finished.features, job.last.features});
        total.corpus = std::max({total.corpus, job.finished.corpus, job.last.corpus});
    }
    total.findings = findings_;
    total.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    return total;
}

Campaign_stats Campaign::run()
{
    std::filesystem::create_directories(options_.corpus_dir);
    std::filesystem::create_directories(artifacts_);
    jobs_.resize(options_.jobs);
    std::uint64_t share = options_.runs / options_.jobs;
    for (unsigned j = 0; j < options_.jobs; ++j) {
        jobs_[j].seed = options_.seed + j;
        jobs_[j].runs_left = options_.runs == 0 ? 0 : share + (j < options_.runs % options_.jobs);
        start(jobs_[j]);
    }
    auto running = [this] {
        return std::ranges::any_of(jobs_, [](auto& j) { return j.child != nullptr; });
    };
    while (running()) {
        for (Job& job : jobs_) {
            if (job.child) read(job);
        }
        progress_.show(totals());
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
    }
    std::filesystem::remove_all(artifacts_);
    return totals();
}

} // namespace

bool parse_status_line(std::string const& line, Campaign_stats& stats)
{
    static std::regex const status{
        R"(^#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+) corp: (\d+)/\S+.* exec/s: (\d+))"};
    static std::regex const executed{R"(^stat::number_of_executed_units: (\d+))"};
    std::smatch match;
    if (std::regex_search(line, match, executed)) {
        stats.runs = std::stoull(match[1]); // the final count, exact
        return true;
    }
    if (!std::regex_search(line, match, status)) return false;
    stats.runs = std::stoull(match[1]);
    stats.coverage = std::stoull(match[2]);
    stats.features = std::stoull(match[3]);
    stats.corpus = std::stoull(match[4]);
    return true;
}

Campaign_stats run_libfuzzer_campaign(Campaign_options const& options, std::string const& fuzzer,
                                      Progress& progress)
{
    return Campaign{options, fuzzer, progress}.run();
}

} // namespace novasim
