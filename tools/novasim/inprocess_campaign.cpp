#include "inprocess_campaign.hpp"

#include "engine.hpp"

#include <algorithm>
#include <cstring>
#include <iostream>
#include <sstream>
#include <sys/mman.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>

namespace novasim {

namespace {

using Clock = std::chrono::steady_clock;

// One worker's numbers and current input, in memory shared with the campaign. Only the worker
// writes; the campaign reads (a torn progress number is harmless, and the input is read only
// once the worker is dead).
struct Window {
    std::uint64_t runs, calls, features, corpus, findings, model_off;
    std::uint32_t input_size;
    char input[16384];
    char reasons[8192]; // at the end: "COUNT REASON" lines
};

struct Worker {
    pid_t pid{-1};
    Window* window{nullptr};
    std::uint64_t seed{0};
    std::uint64_t runs_left{0}; // 0: no limit
    Campaign_stats finished{};  // of its earlier processes
    std::uint64_t model_off{0};
    bool done{false};
};

Window* shared_window()
{
    void* memory =
        mmap(nullptr, sizeof(Window), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::runtime_error("cannot map a worker's window");
    return static_cast<Window*>(memory);
}

void publish(Window& window, fuzz::Engine_stats const& stats)
{
    window.runs = stats.runs;
    window.calls = stats.calls;
    window.features = stats.features;
    window.corpus = stats.corpus;
    window.findings = stats.findings;
    window.model_off = stats.model_off;
}

void publish_reasons(Window& window, fuzz::Engine_stats const& stats)
{
    std::string text;
    for (auto const& [reason, count] : stats.model_off_reasons)
        text += fmt::format("{} {}\n", count, reason);
    std::strncpy(window.reasons, text.c_str(), sizeof window.reasons - 1);
}

[[noreturn]] void work(Campaign_options const& options, Worker const& worker, double seconds,
                       std::vector<std::string> seeds)
{
    Window& window = *worker.window;
    fuzz::Engine_options engine{.seed = worker.seed,
                                .runs = worker.runs_left,
                                .seconds = seconds,
                                .seeds = std::move(seeds),
                                .corpus_dir = options.corpus_dir.string(),
                                .findings_dir = options.findings_dir.string(),
                                .origin = "in-process engine",
                                .progress = [&window](auto const& s) { publish(window, s); },
                                .before_run =
                                    [&window](std::string const& text) {
                                        window.input_size = static_cast<std::uint32_t>(
                                            std::min(text.size(), sizeof window.input));
                                        std::memcpy(window.input, text.data(), window.input_size);
                                    }};
    fuzz::Engine_stats stats = fuzz::Engine{engine}.run();
    publish(window, stats);
    publish_reasons(window, stats);
    _exit(0);
}

class Campaign {
  public:
    Campaign(Campaign_options const& options, Progress& progress)
        : options_{options}, progress_{progress}, start_{Clock::now()}
    {
    }

    Inprocess_result run();

  private:
    std::vector<std::filesystem::path> seed_dirs() const;
    double seconds_left() const;
    void start(Worker& worker);
    void reap(Worker& worker);
    void crashed(Worker& worker);
    Campaign_stats totals() const;
    void collect_reasons(Window const& window);

    Campaign_options const& options_;
    Progress& progress_;
    Clock::time_point start_;
    std::vector<Worker> workers_;
    std::size_t crashes_{0};
    Inprocess_result result_;
};

std::vector<std::filesystem::path> Campaign::seed_dirs() const
{
    std::vector<std::filesystem::path> dirs = options_.seed_dirs;
    if (std::filesystem::is_directory(options_.corpus_dir)) dirs.push_back(options_.corpus_dir);
    return dirs;
}

double Campaign::seconds_left() const
{
    if (options_.seconds <= 0) return 0;
    double spent = std::chrono::duration<double>(Clock::now() - start_).count();
    return std::max(0.001, options_.seconds - spent);
}

void Campaign::start(Worker& worker)
{
    std::vector<std::string> seeds = load_seeds(seed_dirs());
    std::memset(worker.window, 0, sizeof(Window));
    std::cout.flush();
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("cannot fork a worker");
    if (pid == 0) work(options_, worker, seconds_left(), std::move(seeds));
    worker.pid = pid;
}

Campaign_stats Campaign::totals() const
{
    Campaign_stats total{};
    for (Worker const& w : workers_) {
        Window const& now = *w.window;
        std::uint64_t live = w.done ? 0 : 1;
        total.runs += w.finished.runs + live * now.runs;
        total.calls += w.finished.calls + live * now.calls;
        total.coverage = std::max<std::size_t>({total.coverage, w.finished.coverage, now.features});
        total.corpus = std::max<std::size_t>({total.corpus, w.finished.corpus, now.corpus});
        total.findings += w.finished.findings + live * now.findings;
    }
    total.findings += crashes_;
    total.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    return total;
}

void Campaign::collect_reasons(Window const& window)
{
    std::istringstream lines{std::string(window.reasons)};
    for (std::string line; std::getline(lines, line);) {
        std::size_t space = line.find(' ');
        if (space == std::string::npos) continue;
        result_.model_off_reasons[line.substr(space + 1)] += std::stoull(line.substr(0, space));
    }
}

// A worker's numbers become its finished ones; a dead worker's input becomes a finding.
void Campaign::reap(Worker& worker)
{
    int status = 0;
    if (waitpid(worker.pid, &status, WNOHANG) != worker.pid) return;
    Window const& window = *worker.window;
    worker.finished.runs += window.runs;
    worker.finished.calls += window.calls;
    worker.finished.coverage = std::max<std::size_t>(worker.finished.coverage, window.features);
    worker.finished.corpus = std::max<std::size_t>(worker.finished.corpus, window.corpus);
    worker.finished.findings += window.findings;
    result_.model_off += window.model_off;
    collect_reasons(window);
    worker.done = true;
    if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0)) crashed(worker);
}

void Campaign::crashed(Worker& worker)
{
    Window const& window = *worker.window;
    std::string input(window.input, window.input_size);
    std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    fuzz::Finding_file file =
        record_crash(input, {self, "hypercalls"}, options_,
                     fmt::format("in-process engine, seed {}", worker.seed), "novasim hypercalls");
    ++crashes_;
    std::cout << fmt::format("\nnovasim fuzz: a worker died; its input is now {}\n",
                             file.path.string());
    if (options_.runs != 0) {
        std::uint64_t spent = std::min(worker.runs_left, window.runs + 1);
        worker.runs_left -= spent;
        if (worker.runs_left == 0) return;
    }
    if (options_.seconds > 0 && seconds_left() <= 0.001) return;
    worker.seed += 0x1'0000'0000;
    worker.done = false;
    start(worker);
}

Inprocess_result Campaign::run()
{
    workers_.resize(options_.jobs);
    std::uint64_t share = options_.runs / options_.jobs;
    for (unsigned j = 0; j < options_.jobs; ++j) {
        Worker& w = workers_[j];
        w.window = shared_window();
        w.seed = options_.seed + j;
        w.runs_left = options_.runs == 0 ? 0 : share + (j < options_.runs % options_.jobs ? 1 : 0);
        start(w);
    }
    auto alive = [this] { return std::ranges::any_of(workers_, [](auto& w) { return !w.done; }); };
    while (alive()) {
        std::this_thread::sleep_for(std::chrono::milliseconds{200});
        for (Worker& w : workers_) {
            if (!w.done) reap(w);
        }
        progress_.show(totals());
    }
    result_.stats = totals();
    for (Worker& w : workers_) munmap(w.window, sizeof(Window));
    return result_;
}

} // namespace

Inprocess_result run_inprocess_campaign(Campaign_options const& options, Progress& progress)
{
    return Campaign{options, progress}.run();
}

} // namespace novasim
