// The in-process engine: a libFuzzer-style loop without libFuzzer, for the plain GCC build
// (the canary test runs it under ctest) and for `novasim fuzz` where no libFuzzer binary was
// built. It keeps a corpus of programs that reached something new, mutates them with the same
// mutator as the libFuzzer target (now and then it splices two, or writes one from nothing),
// judges each with the same execute(), and minimises and writes down what fires.
//
// Its coverage is not the compiler's: a feature is a distinct (form, status, in a handler or
// not) of an executed call, or (previous form, form, status) of two calls in a row — what it
// can see without instrumentation. Whoever shows the number says what it counts.
#pragma once

#include "execution.hpp"
#include "finding_file.hpp"
#include "mutator.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace fuzz {

struct Engine_stats {
    std::uint64_t runs{0};
    std::uint64_t rejected{0}; // inputs that did not parse (seeds only: mutants always do)
    std::uint64_t calls{0};    // hypercalls and kernel functions executed
    double seconds{0};
    std::size_t features{0};
    std::size_t corpus{0};
    std::size_t findings{0};
    // Runs in which the reference model stopped following, by the shape of the reason.
    std::uint64_t model_off{0};
    std::map<std::string, std::uint64_t> model_off_reasons{};

    double runs_per_second() const { return seconds > 0 ? static_cast<double>(runs) / seconds : 0; }
};

struct Engine_finding {
    Execution execution; // of the minimised program
    hcl::Program program;
    std::string signature;
    std::uint64_t run{0};
    std::optional<Finding_file> file;
};

struct Engine_options {
    std::uint64_t seed{1};
    std::uint64_t runs{0};            // 0: no limit
    double seconds{0};                // 0: no limit
    std::vector<std::string> seeds{}; // program texts to start from
    std::string corpus_dir{};         // where new corpus entries go; empty: nowhere
    std::string findings_dir{};       // where minimised findings go; empty: nowhere
    bool stop_at_first{false};
    std::size_t max_size{8192}; // bytes of program text
    Mutation_limits limits{};
    std::string origin{"in-process engine"};              // for the finding's header
    std::string reproducer{"novasim hypercalls"};         // the command that replays a finding file
    std::function<void(Engine_stats const&)> progress{};  // about twice a second, and at the end
    std::function<void(std::string const&)> before_run{}; // the input about to run
};

class Engine {
  public:
    explicit Engine(Engine_options options);

    Engine_stats run();
    std::vector<Engine_finding> const& findings() const { return findings_; }
    Engine_stats const& stats() const { return stats_; }

  private:
    std::string next_input();
    void run_one(std::string const& text);
    void keep_if_new(std::string const& text, std::size_t new_features);
    void record(std::string const& text, Execution const& execution);
    bool done() const;
    void report_progress(bool last);

    Engine_options options_;
    Random random_;
    std::vector<std::string> corpus_;
    std::unordered_set<std::uint64_t> features_;
    std::unordered_set<std::string> signatures_;
    std::vector<Engine_finding> findings_;
    Engine_stats stats_;
    std::chrono::steady_clock::time_point start_, last_progress_;
};

} // namespace fuzz
