#include "engine.hpp"

#include "minimiser.hpp"
#include "program/parser.hpp"
#include "program/printer.hpp"

#include <fstream>

#include <fmt/format.h>

namespace fuzz {

namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t mix(std::uint64_t a, std::uint64_t b)
{
    return Random{a * 0x9e37'79b9'7f4a'7c15 ^ b}.next();
}

// The features of one run: (form, status, in a handler) of each call and (previous form, form,
// status) of each pair of calls in execution order.
class Features final : public fuzzprog::Call_observer {
  public:
    void called(hcl::Instruction const& instruction, hcl::Outcome const& outcome,
                bool in_handler) override
    {
        auto form = reinterpret_cast<std::uintptr_t>(instruction.call.form);
        auto status = static_cast<std::uint64_t>(outcome.status);
        seen.push_back(mix(mix(form, status), in_handler ? 1 : 0));
        seen.push_back(mix(mix(previous_, form), status + 0x100));
        previous_ = form;
    }

    std::vector<std::uint64_t> seen;

  private:
    std::uint64_t previous_{0};
};

std::optional<hcl::Program> program_of(std::string const& text)
{
    hcl::Parse_result result = hcl::parse_program(text, "input.hcl");
    if (auto* program = std::get_if<hcl::Program>(&result)) return std::move(*program);
    return std::nullopt;
}

} // namespace

Engine::Engine(Engine_options options) : options_{std::move(options)}, random_{options_.seed}
{
}

bool Engine::done() const
{
    if (options_.stop_at_first && !findings_.empty()) return true;
    if (options_.runs != 0 && stats_.runs >= options_.runs) return true;
    return options_.seconds > 0 && stats_.seconds >= options_.seconds;
}

Engine_stats Engine::run()
{
    start_ = last_progress_ = Clock::now();
    for (std::string const& seed : options_.seeds) {
        if (done()) break;
        run_one(seed);
    }
    while (!done()) run_one(next_input());
    report_progress(true);
    return stats_;
}

// Mostly a mutant of a corpus entry; now and then two entries spliced, or a program written
// from nothing (always, while the corpus is empty).
std::string Engine::next_input()
{
    std::uint64_t seed = random_.next();
    if (corpus_.empty() || random_.one_in(16)) return fresh_text(seed, 4 + random_.below(24));
    std::string const& parent = random_.pick(corpus_);
    if (corpus_.size() > 1 && random_.one_in(8)) {
        std::string const& other = random_.pick(corpus_);
        return cross_over_text(parent, other, seed, options_.max_size);
    }
    return mutate_text(parent, seed, options_.max_size, options_.limits);
}

void Engine::run_one(std::string const& text)
{
    if (options_.before_run) options_.before_run(text);
    Features features;
    Execution execution = execute(text, &features);
    ++stats_.runs;
    stats_.calls += execution.calls;
    if (!execution.parsed) ++stats_.rejected;
    if (!execution.model_off.empty()) {
        ++stats_.model_off;
        ++stats_.model_off_reasons[numbers_blanked(execution.model_off)];
    }
    std::size_t fresh = 0;
    for (std::uint64_t feature : features.seen) fresh += features_.insert(feature).second ? 1 : 0;
    stats_.features = features_.size();
    if (execution.parsed) keep_if_new(text, fresh);
    if (execution.found()) record(text, execution);
    stats_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    report_progress(false);
}

void Engine::keep_if_new(std::string const& text, std::size_t new_features)
{
    if (new_features == 0) return;
    corpus_.push_back(text);
    stats_.corpus = corpus_.size();
    if (options_.corpus_dir.empty()) return;
    std::filesystem::create_directories(options_.corpus_dir);
    std::ofstream{std::filesystem::path{options_.corpus_dir} /
                  fmt::format("{:016x}.hcl", hash_bytes(text))}
        << text;
}

// A finding whose signature is new is minimised (the same signature must keep firing) and,
// with a findings directory, written down.
void Engine::record(std::string const& text, Execution const& execution)
{
    std::string bucket = signature(execution);
    if (!signatures_.insert(bucket).second) return;
    std::optional<hcl::Program> program = program_of(text);
    if (!program) return;
    hcl::Program small = minimise(*program, [&bucket](hcl::Program const& candidate) {
        return signature(execute(candidate)) == bucket;
    });
    // Judged as printed, so that the report's lines are the file's.
    Engine_finding finding{execute(hcl::format_program(small)), small, bucket, stats_.runs,
                           std::nullopt};
    if (!options_.findings_dir.empty()) {
        Fired fired{finding_name(finding.execution.finding), finding.execution.report};
        finding.file = write_finding(
            options_.findings_dir, small, fired,
            fmt::format("{}, seed {}, run {}", options_.origin, options_.seed, stats_.runs),
            options_.reproducer);
    }
    findings_.push_back(std::move(finding));
    stats_.findings = findings_.size();
}

void Engine::report_progress(bool last)
{
    if (!options_.progress) return;
    auto now = Clock::now();
    if (!last && now - last_progress_ < std::chrono::milliseconds{500}) return;
    last_progress_ = now;
    options_.progress(stats_);
}

} // namespace fuzz
