// The canary (TigerBeetle's fuzzer that must fail): this binary is linked with
// tools/fuzz/canary/rights_unmasked.cpp, a delegated_rights that forgets the masks. First make
// sure the bug really is planted, then show that the in-process engine — starting from nothing,
// with the same generator, mutator and oracles as the libFuzzer target — finds it within a
// bounded number of runs, and that it is the reference model that notices (the invariant
// checker cannot: a child still holds no more than its parent). NOVASIM_SEED picks the search.
#include "engine.hpp"

#include "lockstep_runner.hpp"

#include <gtest/gtest.h>

namespace fuzz {
namespace {

constexpr std::uint64_t most_runs = 5000;

nova::Crd obj(nova::mword selector, nova::u8 perms)
{
    return nova::Crd{nova::Crd::Type::obj, selector, 0, perms};
}

// The root EC's capability carries 0xd; sent under the mask 0x1, a correct kernel gives the
// copy 0x1, the canary all of 0xd.
TEST(Canary, TheBuildCarriesTheUnmaskedDelegation)
{
    novamodel::Lockstep_runner runner{novamodel::Lockstep_config{}};
    nova::Kernel& kernel = runner.kernel();
    kernel.delegate(kernel.root_pd(), kernel.root_pd(),
                    {obj(33, nova::perm::ec_ct), obj(40, nova::perm::all)});
    EXPECT_EQ(kernel.lookup(kernel.root_pd(), obj(40, 0)).perms(), nova::initial_perm::ec)
        << "this binary must link tools/fuzz/canary/rights_unmasked.cpp";
}

TEST(Canary, TheFuzzerFindsItWithTheModel)
{
    std::uint64_t seed = seed_from_environment(1);
    Engine engine{Engine_options{.seed = seed, .runs = most_runs, .stop_at_first = true}};
    Engine_stats stats = engine.run();
    ASSERT_EQ(engine.findings().size(), 1u)
        << "no finding in " << stats.runs << " runs; NOVASIM_SEED=" << seed << " reproduces this";
    Engine_finding const& finding = engine.findings().front();
    EXPECT_EQ(finding.execution.finding, Finding::model)
        << finding.execution.report << "NOVASIM_SEED=" << seed;
    std::cout << "[ canary   ] NOVASIM_SEED=" << seed << ": found in run " << finding.run << " of "
              << most_runs << " by the " << finding_name(finding.execution.finding) << " oracle:\n"
              << finding.execution.report;
}

} // namespace
} // namespace fuzz
