#include "sim/flow.hpp"

#include "stack_pool.hpp"
#include "stack_switch.hpp"

#include <boost/context/fiber.hpp>
#include <boost/context/preallocated.hpp>

#include <cassert>
#include <utility>

namespace sim {

namespace ctx = boost::context;

namespace {
// Thrown into a parked flow that is being discarded, so that its frames unwind through our own
// exception rather than Boost's forced unwind, whose stack switch the sanitizers cannot see.
struct Discarded {};
} // namespace

// Owned by its Flow; used only by the host thread, on the fiber's stack or its resumer's.
struct Flow::Fiber {
    ctx::fiber self;            // the parked flow; empty while it runs and once it finished
    ctx::fiber resumer;         // whoever resumed it; valid while it runs
    stack_switch::Bounds stack; // the fiber's own stack
    stack_switch::Bounds resumer_stack;
    std::exception_ptr failure; // what the body threw, for the resumer
    bool finished{false};
    bool discarding{false}; // resumed only to unwind
};

Flow::Flow(nova::Ec& ec, Body body, std::size_t stack_bytes)
    : ec_{ec}, body_{std::move(body)}, fiber_{std::make_unique<Fiber>()}
{
    Pooled_stack allocator{stack_bytes};
    ctx::stack_context stack = allocator.allocate();
    fiber_->stack = {static_cast<char*>(stack.sp) - stack.size, stack.size};
    fiber_->self = ctx::fiber{std::allocator_arg, ctx::preallocated{stack.sp, stack.size, stack},
                              allocator, [this](ctx::fiber&& from) {
                                  fiber_->resumer = std::move(from);
                                  run_body();
                                  return std::move(fiber_->resumer);
                              }};
}

Flow::Flow(nova::Ec& ec) : ec_{ec}
{
}

// On the fiber, from its first resume to its end.
void Flow::run_body()
{
    stack_switch::finish(nullptr, &fiber_->resumer_stack);
    try {
        if (!fiber_->discarding) body_(*this);
    } catch (Discarded const&) {
        // unwound on purpose
    } catch (...) {
        fiber_->failure = std::current_exception();
    }
    fiber_->finished = true;
    stack_switch::start(nullptr, fiber_->resumer_stack); // this stack ends here
}

Flow::~Flow()
{
    if (fiber_ == nullptr || fiber_->finished) return;
    fiber_->discarding = true;
    switch_in();
}

bool Flow::finished() const
{
    return fiber_ != nullptr && fiber_->finished;
}

void Flow::switch_in()
{
    void* token = nullptr;
    stack_switch::start(&token, fiber_->stack);
    fiber_->self = std::move(fiber_->self).resume();
    stack_switch::finish(token, nullptr);
}

void Flow::resume()
{
    assert(fiber_ != nullptr && !fiber_->finished && fiber_->self);
    switch_in();
    if (fiber_->failure) std::rethrow_exception(std::exchange(fiber_->failure, nullptr));
}

void Flow::park()
{
    assert(fiber_ != nullptr && fiber_->resumer);
    void* token = nullptr;
    stack_switch::start(&token, fiber_->resumer_stack);
    fiber_->resumer = std::move(fiber_->resumer).resume();
    stack_switch::finish(token, &fiber_->resumer_stack);
    if (fiber_->discarding) throw Discarded{};
}

} // namespace sim
