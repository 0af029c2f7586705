// Differential test: thousands of random capability programs run against the kernel and the
// reference model in lockstep, comparing every space of every PD after every step.
// NOVASIM_SEED picks the programs (unset: 1; 0: a random seed); a failure prints the seed, the
// sequence, the step and the program up to it.
#include "lockstep_runner.hpp"
#include "operation_generator.hpp"

#include "test_seed.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace novamodel {
namespace {

constexpr unsigned shards = 4; // separate ctest entries, so ctest -j runs them side by side

unsigned sequences()
{
    char const* text = std::getenv("NOVASIM_MODEL_SEQUENCES");
    if (text == nullptr || *text == '\0') return NOVASIM_MODEL_SEQUENCES; // from the build
    return static_cast<unsigned>(std::strtoul(text, nullptr, 0));
}

// The same seed for every shard of one run (tests/support/test_seed.hpp).
std::uint64_t base_seed()
{
    return novasim_test::seed();
}

// SplitMix64: neighbouring sequence numbers get unrelated seeds.
std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e37'79b9'7f4a'7c15;
    x = (x ^ (x >> 30)) * 0xbf58'476d'1ce4'e5b9;
    x = (x ^ (x >> 27)) * 0x94d0'49bb'1331'11eb;
    return x ^ (x >> 31);
}

// The shape of one sequence, drawn from its seed.
struct Plan {
    std::uint64_t seed;
    Lockstep_config config;
    Focus focus;
    unsigned steps;
};

Plan plan_for(std::uint64_t seed)
{
    std::mt19937_64 rng{seed};
    auto pick = [&rng](unsigned n) { return static_cast<unsigned>(rng() % n); };
    static constexpr unsigned cpu_counts[] = {1, 2, 4};
    Plan plan{seed, Lockstep_config{}, static_cast<Focus>(pick(4)), 30 + pick(31)};
    plan.config.sel_bits = pick(2) == 0 ? 10 : 12;
    plan.config.cpus = cpu_counts[pick(3)];
    plan.config.vmx = pick(3) == 0;
    return plan;
}

std::string describe(Plan const& plan)
{
    static char const* const focus[] = {"all", "obj", "mem", "pio"};
    std::ostringstream out;
    out << "sequence seed " << hex(plan.seed) << ", sel_bits " << plan.config.sel_bits << ", cpus "
        << plan.config.cpus << ", vmx " << plan.config.vmx << ", focus "
        << focus[static_cast<unsigned>(plan.focus)] << ", " << plan.steps << " steps";
    return out.str();
}

struct Tally {
    unsigned long steps{0};
    unsigned long non_null_crds{0};
    unsigned long failed_hypercalls{0};
    unsigned long objects_destroyed{0};
    unsigned long pds_destroyed{0};
};

class Sequence {
  public:
    Sequence(unsigned number, Tally& tally)
        : number_{number}, plan_{plan_for(mix(base_seed() ^ mix(number)))}, tally_{tally}
    {
    }

    // The failure report, or nothing when the kernel agreed with the model throughout.
    std::optional<std::string> run()
    {
        Lockstep_runner runner{plan_.config};
        kernel_pd_ = runner.model().kernel_pd();
        root_pd_ = runner.model().root_pd();
        if (!runner.boot_difference().empty()) {
            return report(0, "after boot:\n" + runner.boot_difference());
        }
        Operation_generator generator{plan_.seed, plan_.focus};
        for (unsigned step = 0; step < plan_.steps; ++step) {
            program_.push_back(generator.next(runner.model()));
            std::optional<std::string> difference = run_step(runner, program_.back());
            if (difference) return report(step, *difference);
        }
        return std::nullopt;
    }

  private:
    std::optional<std::string> run_step(Lockstep_runner& runner, Operation const& op)
    {
        Census before = census(runner.model());
        Step_result result;
        try {
            result = runner.step(op);
        } catch (std::exception const& e) {
            return std::string{"exception: "} + e.what() + "\n";
        }
        outcomes_.push_back(result.model);
        count(result, before, census(runner.model()));
        if (result.agrees()) return std::nullopt;
        return result.difference;
    }

    struct Census {
        std::size_t objects;
        std::size_t pds;
    };
    static Census census(Capability_model const& model)
    {
        return Census{model.objects().size(), model.live_pds().size()};
    }

    void count(Step_result const& result, Census before, Census after)
    {
        ++tally_.steps;
        if (result.model.crd.type() != Space_type::null) ++tally_.non_null_crds;
        if (result.model.status != Status::success) ++tally_.failed_hypercalls;
        if (after.objects < before.objects)
            tally_.objects_destroyed += before.objects - after.objects;
        if (after.pds < before.pds) tally_.pds_destroyed += before.pds - after.pds;
    }

    std::string report(unsigned step, std::string const& difference) const
    {
        std::ostringstream out;
        out << "NOVASIM_SEED=" << base_seed() << ": sequence " << number_ << " (" << describe(plan_)
            << ") differs at step " << step << ":\n"
            << difference << "program (pd" << kernel_pd_ << " is the kernel's PD, pd" << root_pd_
            << " the root PD; each line: operation => the model's outcome):\n";
        for (std::size_t i = 0; i < program_.size(); ++i) {
            out << "  " << i << ": " << novamodel::describe(program_[i]);
            if (i < outcomes_.size()) out << "  => " << novamodel::describe(outcomes_[i]);
            out << '\n';
        }
        out << "reproduce: NOVASIM_SEED=" << base_seed()
            << " ./model_tests --gtest_filter='Shard/Differential.*/" << number_ % shards << "'\n";
        return out.str();
    }

    unsigned number_;
    Plan plan_;
    Object_id kernel_pd_{}, root_pd_{}; // for the legend of a report
    Tally& tally_;
    std::vector<Operation> program_;
    std::vector<Outcome> outcomes_; // the model's, one per completed step
};

class Differential : public ::testing::TestWithParam<unsigned> {};

TEST_P(Differential, KernelAgreesWithTheModelAfterEveryStep)
{
    SCOPED_TRACE("NOVASIM_SEED=" + std::to_string(base_seed()));
    Tally tally;
    unsigned run = 0;
    unsigned const count = sequences();
    for (unsigned number = GetParam(); number < count; number += shards, ++run) {
        std::optional<std::string> failure = Sequence{number, tally}.run();
        if (failure) FAIL() << *failure;
    }
    std::cout << "[ model    ] NOVASIM_SEED=" << base_seed() << " shard " << GetParam() << ": "
              << run << " sequences, " << tally.steps << " steps, " << tally.non_null_crds
              << " non-null CRDs, " << tally.failed_hypercalls << " failed hypercalls, "
              << tally.objects_destroyed << " objects destroyed (" << tally.pds_destroyed
              << " PDs)\n";
}

INSTANTIATE_TEST_SUITE_P(Shard, Differential, ::testing::Range(0u, shards));

} // namespace
} // namespace novamodel
