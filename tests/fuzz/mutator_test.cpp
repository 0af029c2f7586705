// The fuzzer's program layer: swarm weights, the generator, the mutator and its repair. What
// matters is that the mutants are programs — they parse, print back, and use names that are
// bound — and that they are different programs. NOVASIM_SEED picks the seeds (unset: 1).
#include "mutator.hpp"
#include "parsed_corpus.hpp"
#include "proven_program.hpp"

#include "program/parser.hpp"
#include "program/printer.hpp"

#include <gtest/gtest.h>

#include <set>

namespace fuzz {
namespace {

std::uint64_t base_seed()
{
    static std::uint64_t const seed = seed_from_environment(1);
    return seed;
}

std::string seed_note(std::uint64_t seed)
{
    return "NOVASIM_SEED=" + std::to_string(base_seed()) + " (case seed " + std::to_string(seed) +
           ")";
}

std::optional<hcl::Program> parsed(std::string const& text)
{
    hcl::Parse_result result = hcl::parse_program(text, "mutant.hcl");
    if (auto* program = std::get_if<hcl::Program>(&result)) return *program;
    ADD_FAILURE() << hcl::to_string(std::get<hcl::Parse_error>(result)) << "\n" << text;
    return std::nullopt;
}

TEST(Swarm, EachSeedTurnsOnADifferentMixThatCanCreateSomething)
{
    std::set<std::string> mixes;
    for (std::uint64_t seed = base_seed(); seed < base_seed() + 50; ++seed) {
        Swarm swarm = Swarm::from_seed(seed);
        std::string mix = swarm.describe();
        mixes.insert(mix);
        bool creates = false;
        for (Kind kind : {Kind::create_pd, Kind::create_sm, Kind::ec, Kind::portal, Kind::thread,
                          Kind::create_ec}) {
            creates |= swarm.weight(kind) != 0;
        }
        EXPECT_TRUE(creates) << mix << " " << seed_note(seed);
    }
    EXPECT_GT(mixes.size(), 45u) << "swarm mixes should hardly ever repeat";
}

TEST(Swarm, PicksOnlyKindsThatAreOnAndFitThePlace)
{
    Swarm swarm = Swarm::from_seed(base_seed());
    Random random{base_seed()};
    for (int i = 0; i < 2000; ++i) {
        Kind top = swarm.pick(random, Place::top_level);
        EXPECT_TRUE(swarm.weight(top) != 0 || !fits(top, Place::top_level)) << kind_name(top);
        Kind in_thread = swarm.pick(random, Place::thread_block);
        EXPECT_TRUE(fits(in_thread, Place::thread_block)) << kind_name(in_thread);
    }
}

TEST(Generator, WritesProgramsThatParseAndPrintBack)
{
    for (std::uint64_t seed = base_seed(); seed < base_seed() + 200; ++seed) {
        std::string text = fresh_text(seed, 24);
        std::optional<hcl::Program> program = parsed(text);
        ASSERT_TRUE(program) << seed_note(seed);
        EXPECT_EQ(hcl::format_program(*program), text) << seed_note(seed);
        EXPECT_GE(statement_count(*program), 24u) << seed_note(seed);
    }
}

// Chains of mutations: every mutant parses (names bound once, before their uses), stays
// within the limits, and nearly all differ from their parent.
TEST(Mutator, EveryMutantIsAProgramWithinTheLimits)
{
    Mutation_limits limits{32, 6};
    std::size_t mutants = 0, unchanged = 0;
    for (std::uint64_t seed = base_seed(); seed < base_seed() + 100; ++seed) {
        std::string text = fresh_text(seed, 12);
        for (std::uint64_t step = 0; step < 30; ++step) {
            std::string mutant = mutate_text(text, seed * 1000 + step, 8192, limits);
            std::optional<hcl::Program> program = parsed(mutant);
            ASSERT_TRUE(program) << seed_note(seed) << ", step " << step;
            EXPECT_LE(statement_count(*program), limits.statements) << seed_note(seed);
            for (auto const& instruction : program->instructions) {
                EXPECT_LE(instruction.block.size(), limits.block) << seed_note(seed);
            }
            unchanged += mutant == text ? 1 : 0;
            ++mutants;
            text = mutant;
        }
    }
    EXPECT_LT(unchanged * 10, mutants) << "most mutants must change something";
}

TEST(Mutator, TextThatIsNotAProgramBecomesAFreshOne)
{
    std::string mutant = mutate_text("\x01\x02 not a program {", base_seed(), 8192);
    ASSERT_TRUE(parsed(mutant));
    EXPECT_FALSE(mutant.empty());
}

TEST(Mutator, StaysWithinTheSizeItIsGiven)
{
    std::string text = fresh_text(base_seed(), 30);
    for (std::uint64_t step = 0; step < 50; ++step) {
        std::string mutant = mutate_text(text, base_seed() + step, text.size() + 64);
        EXPECT_LE(mutant.size(), text.size() + 64);
    }
}

TEST(Mutator, CrossOverJoinsTwoProgramsIntoOne)
{
    std::string a = fresh_text(base_seed(), 10), b = fresh_text(base_seed() + 1, 10);
    for (std::uint64_t step = 0; step < 50; ++step) {
        ASSERT_TRUE(parsed(cross_over_text(a, b, base_seed() + step, 8192)));
    }
}

// The execution after a mutation gets the mutant's parse from the mutator: the very program the
// text parses to, once, and only for that text.
TEST(Mutator, HandsTheParsedMutantToTheExecutionOfItsText)
{
    std::string text = fresh_text(base_seed(), 12);
    for (std::uint64_t step = 0; step < 20; ++step) {
        std::string mutant = mutate_text(text, base_seed() + step, 8192);
        EXPECT_FALSE(take_proven(text)) << "kept for another text, " << seed_note(base_seed());
        std::optional<hcl::Program> handed = take_proven(mutant);
        ASSERT_TRUE(handed) << seed_note(base_seed()) << ", step " << step;
        EXPECT_EQ(*handed, parsed(mutant)) << mutant;
        EXPECT_FALSE(take_proven(mutant)) << "handed over twice";
        text = mutant;
    }
}

TEST(Mutator, HandsTheParsedChildOfACrossOverOn)
{
    std::string a = fresh_text(base_seed(), 10), b = fresh_text(base_seed() + 1, 10);
    std::string child = cross_over_text(a, b, base_seed(), 8192);
    std::optional<hcl::Program> handed = take_proven(child);
    ASSERT_TRUE(handed) << seed_note(base_seed());
    EXPECT_EQ(*handed, parsed(child));
}

// The corpus entries a mutator is given stay parsed: the same program a parse gives, for the
// same text only, the least recently used entry leaving first.
TEST(Parsed_corpus, KeepsTheProgramsOfTheTextsItWasGiven)
{
    Parsed_corpus corpus{2};
    std::string a = fresh_text(base_seed(), 6), b = fresh_text(base_seed() + 1, 6);
    hcl::Program const* program = corpus.program(a);
    ASSERT_NE(program, nullptr) << seed_note(base_seed());
    EXPECT_EQ(*program, parsed(a));
    EXPECT_EQ(corpus.program(a), program) << "kept, not parsed again";
    EXPECT_EQ(corpus.program("not a program {"), nullptr);
    EXPECT_EQ(corpus.size(), 2u);
    ASSERT_NE(corpus.program(b), nullptr) << "takes the place of the least recently used";
    EXPECT_EQ(*corpus.program(b), parsed(b));
    EXPECT_EQ(corpus.size(), 2u);
    ASSERT_NE(corpus.program(a), nullptr);
    EXPECT_EQ(*corpus.program(a), parsed(a));
}

// After a binding statement goes, its uses take other names of the kind they need: the only
// other semaphore for sm_up, any bound name for a CRD's base.
TEST(Repair, RebindsUsesOfANameThatIsGone)
{
    std::optional<hcl::Program> program =
        parsed("create_sm $a owner=$root_pd\n"
               "create_sm $b owner=$root_pd\n"
               "sm_up $a\ncreate_pd $p owner=$root_pd crd=obj:$a/0\n");
    ASSERT_TRUE(program);
    program->instructions.erase(program->instructions.begin());
    Random random{base_seed()};
    repair(*program, random);
    EXPECT_EQ(program->instructions[1].names[0], "$b");
    std::string base = program->instructions[2].names[2];
    EXPECT_TRUE(std::set<std::string>({"$root_pd", "$root_ec", "$root_sc", "$b"}).contains(base))
        << base;
    EXPECT_TRUE(parsed(hcl::format_program(*program)));
}

TEST(Repair, RenamesASecondBindingOfAName)
{
    std::optional<hcl::Program> program = parsed("create_sm $a owner=$root_pd\nsm_up $a\n");
    ASSERT_TRUE(program);
    program->instructions.push_back(program->instructions.front());
    Random random{base_seed()};
    repair(*program, random);
    std::string text = hcl::format_program(*program);
    EXPECT_TRUE(parsed(text)) << text;
    EXPECT_NE(program->instructions[2].names[0], "$a") << text;
}

// The mutator leans on this: a mutant is what a repair leaves, so repairing it again neither
// changes it nor draws anything (a change of a settled program needs no copy to compare with).
TEST(Repair, LeavesAMutantAsItIsAndDrawsNothing)
{
    for (std::uint64_t seed = base_seed(); seed < base_seed() + 100; ++seed) {
        std::optional<hcl::Program> program = parsed(fresh_text(seed, 16));
        ASSERT_TRUE(program) << seed_note(seed);
        Random random{seed};
        Swarm swarm = Swarm::from_seed(seed);
        for (int step = 0; step < 10; ++step) {
            mutate(*program, random, swarm, {32, 6});
            hcl::Program again = *program;
            Random repairing{seed}, untouched{seed};
            repair(again, repairing);
            EXPECT_EQ(again, *program) << seed_note(seed) << ", step " << step;
            EXPECT_EQ(repairing.next(), untouched.next()) << seed_note(seed) << ", step " << step;
        }
    }
}

} // namespace
} // namespace fuzz
