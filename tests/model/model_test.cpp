// Directed tests of the reference model and the lockstep runner: boot states agree, a scripted
// cascade agrees step by step, and the comparison does catch a kernel that differs.
#include "lockstep_runner.hpp"
#include "operation_generator.hpp"

#include "test_seed.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <random>

namespace novamodel {
namespace {

namespace perm = nova::perm;
using nova::Hypercall;

Crd obj(mword base, u8 order = 0, u8 perms = perm::all)
{
    return Crd{Space_type::obj, base, order, perms};
}
Crd mem(mword base, u8 order = 0, u8 perms = perm::all)
{
    return Crd{Space_type::mem, base, order, perms};
}

Hypercall_op root_call(Hypercall call, mword sel, mword rsi = 0, mword rdx = 0, u8 flags = 0)
{
    Hypercall_args args;
    args.call = call;
    args.flags = flags;
    args.sel = sel;
    args.rsi = rsi;
    args.rdx = rdx;
    return Hypercall_op{args};
}

class Lockstep : public ::testing::Test {
  protected:
    void step(Operation const& op)
    {
        Step_result result = runner_.step(op);
        EXPECT_TRUE(result.agrees()) << describe(op) << "\n" << result.difference;
    }
    Object_id root_object_at(mword sel) const
    {
        return static_cast<Object_id>(
            model().space(model().root_pd(), Space_type::obj).find(sel)->resource);
    }
    Capability_model const& model() const { return runner_.model(); }

    Lockstep_runner runner_{Lockstep_config{}};
};

TEST(Model_boot, AgreesWithTheKernelInEveryConfiguration)
{
    for (Lockstep_config config : {Lockstep_config{1, 10, false}, Lockstep_config{4, 26, true},
                                   Lockstep_config{64, 12, false}}) {
        Lockstep_runner runner{config};
        EXPECT_EQ(runner.boot_difference(), "") << "cpus " << config.cpus;
    }
}

// Every capability derives from its creator's, so a PD outlives the root's capability only
// through an EC in it. When that EC goes, the PD goes, and so does what others derived from it.
TEST_F(Lockstep, PdDestructionCascadesThroughTheEcThatHeldIt)
{
    mword const root_pd_sel = Capability_model::sel_exc;
    step(root_call(Hypercall::create_pd, 40, root_pd_sel));
    step(root_call(Hypercall::create_pd, 41, root_pd_sel));
    Object_id a = root_object_at(40), b = root_object_at(41);
    step(root_call(Hypercall::create_ec, 42, 40, 0x5000));
    step(Delegate_op{
        model().root_pd(), model().root_pd(), {mem(0, 4), mem(0x100, 4), 0, false, false, true}});
    step(Delegate_op{model().root_pd(), a, {mem(0x100, 4), mem(0x200, 4)}});
    step(Delegate_op{a, b, {mem(0x204, 2), mem(0x10, 2)}});
    step(Revoke_op{model().root_pd(), obj(40), true});
    EXPECT_TRUE(model().is_pd(a)) << "the EC holds its PD";
    step(Translate_op{b, a, mem(0x11), mem(0, 31)});
    step(root_call(Hypercall::revoke, 0, obj(42).raw(), 0, nova::flag::revoke_self));
    EXPECT_FALSE(model().is_pd(a));
    EXPECT_TRUE(model().space(b, Space_type::mem).mappings().empty());
}

TEST_F(Lockstep, ReportsAKernelThatDiffersFromTheModel)
{
    nova::Delegation behind_the_back{mem(0, 2), mem(0x40, 2), 0, false, false, true};
    runner_.kernel().delegate(runner_.kernel().root_pd(), runner_.kernel().root_pd(),
                              behind_the_back);
    Step_result result = runner_.step(Lookup_op{model().root_pd(), mem(0x40)});
    EXPECT_FALSE(result.agrees());
    EXPECT_NE(result.difference.find("only in kernel"), std::string::npos) << result.difference;
    EXPECT_NE(result.difference.find("outcome"), std::string::npos) << result.difference;
}

// After an agreement the comparison walks only the spaces whose versions moved: a kernel that
// takes rights from a mapping behind the model's back is caught by the very next comparison,
// though the model changed nothing.
TEST_F(Lockstep, ACountedKernelChangeIsFoundInAnUnchangedModelSpace)
{
    step(Delegate_op{
        model().root_pd(), model().root_pd(), {mem(0, 2), mem(0x40, 2), 0, false, false, true}});
    nova::Mdb_node* node = runner_.kernel().root_pd().mem.lookup(0x40);
    ASSERT_NE(node, nullptr);
    node->set_perms(perm::mem_r);
    std::string difference = runner_.compare_state();
    EXPECT_NE(difference.find("pd"), std::string::npos) << difference;
    EXPECT_NE(difference.find("kernel {order 2 perms 0x1"), std::string::npos) << difference;
}

// A whole walk compares each mapping's parent too: a kernel node that lost its parent, or
// names another one, is found (the kernel's checker is off, so the comparison sees it).
TEST(Lockstep_runner, FindsAMappingWhoseParentDiffers)
{
    Lockstep_config config;
    config.check_kernel = false;
    for (bool parent_elsewhere : {false, true}) {
        Lockstep_runner runner{config};
        Object_id root = runner.model().root_pd();
        ASSERT_TRUE(
            runner.step(Delegate_op{root, root, {mem(0, 2), mem(0x40, 2), 0, false, false, true}})
                .agrees());
        nova::Mdb_node* node = runner.kernel().root_pd().mem.lookup(0x40);
        ASSERT_NE(node, nullptr);
        nova::Mdb_node* original = node->parent;
        node->parent = parent_elsewhere
                           ? runner.kernel().root_pd().mem.lookup(nova::hip_addr >> nova::page_bits)
                           : nullptr;
        ASSERT_NE(node->parent, original);
        ASSERT_EQ(node->parent == nullptr, !parent_elsewhere);
        runner.forget_agreement();
        std::string difference = runner.compare_state();
        node->parent = original;
        EXPECT_NE(difference.find("mem 0x40: kernel {order 2"), std::string::npos) << difference;
    }
}

TEST_F(Lockstep, RefusesToStopTheRoot)
{
    Revoke_op root_sc{model().root_pd(), obj(Capability_model::sel_exc + 2), true};
    EXPECT_THROW(runner_.step(root_sc), std::invalid_argument);
}

// The hypercalls that change no capability: the model knows their capability check, and a
// call or a down that passes it may do what the scheduler decides.
TEST_F(Lockstep, PredictsTheCapabilityCheckOfEveryOtherHypercall)
{
    mword const down = nova::flag::sm_down;
    EXPECT_EQ(runner_.step(root_call(Hypercall::sm_ctrl, 40)).model.status, Status::bad_cap);
    step(root_call(Hypercall::create_sm, 40, Capability_model::sel_exc, 1));
    EXPECT_EQ(runner_.step(root_call(Hypercall::sm_ctrl, 40)).model, Outcome{});
    EXPECT_TRUE(
        runner_.step(root_call(Hypercall::sm_ctrl, 40, 0, 0, down)).model.scheduler_decides);
    EXPECT_EQ(runner_.step(root_call(Hypercall::pt_ctrl, 40)).model.status, Status::bad_cap);
    step(root_call(Hypercall::create_ec, 41, Capability_model::sel_exc, 0x5000));
    EXPECT_EQ(runner_.step(root_call(Hypercall::ec_ctrl, 41)).model, Outcome{}); // a recall
    EXPECT_EQ(runner_.step(root_call(Hypercall::assign_gsi, 40)).model.status, Status::bad_hyp);
    step(root_call(Hypercall::sc_ctrl, 34));
    step(root_call(Hypercall::call, 40));
}

TEST(Model_outcome, ASchedulerDecidedStatusIsAnythingButACapabilityFailure)
{
    Outcome decided{Status::success, Crd{}, true};
    EXPECT_TRUE(agrees(Outcome{Status::timeout}, decided));
    EXPECT_TRUE(agrees(Outcome{Status::aborted}, decided));
    EXPECT_FALSE(agrees(Outcome{Status::bad_cap}, decided));
    EXPECT_FALSE(agrees(Outcome{Status::bad_hyp}, decided));
    EXPECT_FALSE(agrees(Outcome{Status::timeout}, Outcome{}));
}

// An EC in another PD creates in its own PD's object space, with that PD's capabilities.
TEST(Model_hypercall, OfAnotherPdUsesThatPdsSpace)
{
    Capability_model model{Model_config{4, 12, false, 16}};
    Capability_model const& seen = model;
    Hypercall_args make_pd{Hypercall::create_pd, 0, 40, Capability_model::sel_exc,
                           obj(Capability_model::sel_exc, 0, perm::pd_sm).raw()};
    ASSERT_EQ(model.hypercall(model.root_pd(), make_pd), Outcome{});
    auto pd =
        static_cast<Object_id>(seen.space(model.root_pd(), Space_type::obj).find(40)->resource);
    Hypercall_args make_sm{Hypercall::create_sm, 0, 50, 0};
    EXPECT_EQ(model.hypercall(pd, make_sm), Outcome{}) << "its selector 0 names the root PD";
    EXPECT_NE(seen.space(pd, Space_type::obj).find(50), nullptr);
    EXPECT_EQ(seen.space(model.root_pd(), Space_type::obj).find(50), nullptr);
    Hypercall_args make_ec{Hypercall::create_ec, 0, 51, 0, 0x1000};
    EXPECT_EQ(model.hypercall(pd, make_ec).status, Status::bad_cap) << "no pd_ec right";
}

// The model logs the keys it changes, as the kernel's radix does; access that could change
// anything names no key, so a comparison after it walks the space.
TEST(Model_space, LogsTheKeysOfItsLastChanges)
{
    Space space{12};
    std::uint64_t start = space.version();
    space.insert(Mapping{0x40, 0, perm::all, 0, 7, std::nullopt});
    space.insert(Mapping{0x80, 4, perm::all, 0, 8, std::nullopt});
    space.find(0x85)->perms = 0;
    space.drop_rightless();
    space.erase(0x40);
    ASSERT_TRUE(space.changes_logged_since(start));
    ASSERT_EQ(space.version(), start + 5);
    mword const keys[] = {0x40, 0x80, 0x80, 0x80, 0x40};
    for (std::uint64_t i = 0; i < 5; ++i) EXPECT_EQ(space.key_changed_after(start + i), keys[i]);
    std::uint64_t before = space.version();
    (void)space.mappings().size();
    EXPECT_FALSE(space.changes_logged_since(before));
    EXPECT_TRUE(space.changes_logged_since(space.version()));
}

// An operation that changes no capability has the same outcome read from a model as applied to
// it; one that may change capabilities is refused as a reading.
TEST_F(Lockstep, ReadsTheOutcomeOfAnOperationThatDoesNotWrite)
{
    step(root_call(Hypercall::create_sm, 40, Capability_model::sel_exc, 1));
    Capability_model copy = model();
    for (Operation const& op :
         {Operation{root_call(Hypercall::sm_ctrl, 40)},
          Operation{root_call(Hypercall::pt_ctrl, 40)},
          Operation{root_call(Hypercall::lookup, 0, obj(40).raw())},
          Operation{Lookup_op{model().root_pd(), obj(40)}},
          Operation{Translate_op{model().root_pd(), model().root_pd(), obj(40), obj(0, 20)}}}) {
        ASSERT_FALSE(writes(op)) << describe(op);
        EXPECT_EQ(apply_reading(model(), op), apply(copy, op)) << describe(op);
    }
    for (Operation const& op :
         {Operation{root_call(Hypercall::create_sm, 41, Capability_model::sel_exc)},
          Operation{root_call(Hypercall::revoke, 0, obj(40).raw())},
          Operation{Revoke_op{model().root_pd(), obj(40), false}}}) {
        EXPECT_TRUE(writes(op)) << describe(op);
        EXPECT_THROW(apply_reading(model(), op), std::logic_error) << describe(op);
    }
}

TEST_F(Lockstep, LeavesHypercallsOfOtherEcsToTheirCaller)
{
    Hypercall_op elsewhere = root_call(Hypercall::create_sm, 40, 0);
    elsewhere.pd = model().root_pd();
    EXPECT_THROW(runner_.step(elsewhere), std::invalid_argument);
    Outcome predicted = runner_.model_step(elsewhere);
    EXPECT_EQ(predicted, Outcome{Status::bad_cap}) << "selector 0 names nothing in the root PD";
    EXPECT_EQ(runner_.compare(Outcome{Status::bad_cap}, predicted), "");
    EXPECT_NE(runner_.compare(Outcome{}, predicted).find("outcome"), std::string::npos);
}

// The binding is a table by model id on one side and a hash on the other: both directions,
// refusals, forgetting, and the ECs in id order must stay consistent with each other.
TEST(Object_binding, BindsEachSideOnceAndForgetsBoth)
{
    sim::Machine machine{machine_config_for(Lockstep_config{})};
    nova::Kernel& kernel = machine.kernel();
    Object_binding binding;
    EXPECT_TRUE(binding.bind(7, &kernel.root_ec()));
    EXPECT_TRUE(binding.bind(2, &kernel.root_pd()));
    EXPECT_FALSE(binding.bind(7, &kernel.root_sc())) << "id 7 is bound already";
    EXPECT_FALSE(binding.bind(3, &kernel.root_pd())) << "the root PD is bound already";
    EXPECT_EQ(binding.bound_count(), 2u);
    EXPECT_EQ(binding.kernel_object(7), &kernel.root_ec());
    EXPECT_EQ(binding.kernel_object(3), nullptr);
    EXPECT_EQ(binding.kernel_object(1000), nullptr) << "far beyond every bound id";
    EXPECT_EQ(binding.model_id(&kernel.root_pd()), Object_id{2});
    ASSERT_EQ(binding.bound_ecs().size(), 1u);
    EXPECT_EQ(binding.bound_ecs()[0].first, 7u);

    binding.forget(7);
    EXPECT_EQ(binding.kernel_object(7), nullptr);
    EXPECT_FALSE(binding.model_id(&kernel.root_ec()).has_value());
    EXPECT_TRUE(binding.bound_ecs().empty());
    EXPECT_EQ(binding.bound_count(), 1u);
    EXPECT_TRUE(binding.bind(5, &kernel.root_ec())) << "a forgotten object binds again";
    Execution_references running = execution_references(binding);
    ASSERT_EQ(running.size(), binding.id_limit());
    EXPECT_EQ(running[5], kernel.root_ec().flow_running ? 1u : 0u) << "its flow's, by model id";
}

// The reference counts the model keeps as it goes equal a recount after every operation of
// random sequences that create, delegate, drop and revoke (revoke cascades destroy objects).
TEST(Capability_model, KeepsTheReferenceCountsARecountFinds)
{
    constexpr unsigned sequences = 200, steps = 60;
    static constexpr Focus focuses[] = {Focus::all, Focus::obj};
    Model_config config = model_config_for(Lockstep_config{});
    for (unsigned sequence = 0; sequence < sequences; ++sequence) {
        std::uint64_t seed = novasim_test::seed() * 1000 + sequence;
        Capability_model model{config};
        Operation_generator generator{seed, focuses[sequence % 2]};
        for (unsigned step = 0; step < steps; ++step) {
            Operation op = generator.next(model);
            novamodel::apply(model, op);
            ASSERT_EQ(model.kept_reference_counts(), model.reference_counts())
                << "sequence " << sequence << " step " << step << " after " << describe(op) << "; "
                << novasim_test::seed_note();
        }
    }
}

// The flat table behaves as the std::map it replaced, under random emplaces, hinted emplaces
// (good and bad hints), erases and erase_if, and answers every search as the map does.
TEST(Flat_map, AnswersAsAStdMapDoes)
{
    std::mt19937_64 rng{novasim_test::seed()};
    Flat_map<unsigned, unsigned> flat;
    std::map<unsigned, unsigned> reference;
    for (unsigned round = 0; round < 4000; ++round) {
        unsigned key = static_cast<unsigned>(rng() % 64), value = round;
        switch (rng() % 4) {
        case 0:
            EXPECT_EQ(flat.emplace(key, value).second, reference.emplace(key, value).second);
            break;
        case 1:
            flat.emplace_hint(flat.lower_bound(static_cast<unsigned>(rng() % 64)), key, value);
            reference.emplace(key, value);
            break;
        case 2:
            EXPECT_EQ(flat.erase(key), reference.erase(key));
            break;
        default:
            EXPECT_EQ(
                flat.erase_if([key](auto const& e) { return e.second % 64 == key; }),
                std::erase_if(reference, [key](auto const& e) { return e.second % 64 == key; }));
        }
        ASSERT_TRUE(std::equal(flat.begin(), flat.end(), reference.begin(), reference.end(),
                               [](auto const& f, auto const& r) {
                                   return f.first == r.first && f.second == r.second;
                               }))
            << "round " << round << "; " << novasim_test::seed_note();
        unsigned probe = static_cast<unsigned>(rng() % 66);
        auto position = [](auto const& table, auto at) {
            return std::distance(table.begin(), decltype(table.begin()){at});
        };
        EXPECT_EQ(position(flat, flat.lower_bound(probe)),
                  position(reference, reference.lower_bound(probe)));
        EXPECT_EQ(position(flat, flat.upper_bound(probe)),
                  position(reference, reference.upper_bound(probe)));
        EXPECT_EQ(flat.count(probe), reference.count(probe));
    }
}

} // namespace
} // namespace novamodel
