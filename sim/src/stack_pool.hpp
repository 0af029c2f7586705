// Fiber stacks for flows, kept by the thread that used them for its next flow of the same size.
// A fuzzing campaign or a test suite starts and ends thousands of flows; mapping a guarded
// stack, faulting its pages in and unmapping it again cost more than the flow's work. A stack
// comes back with its guard page in place; the sanitizer forgets what the last flow left in it.
#pragma once

#include <boost/context/stack_context.hpp>

#include <cstddef>

namespace sim {

// Boost.Context's stack-allocator interface, for ctx::fiber.
class Pooled_stack {
  public:
    explicit Pooled_stack(std::size_t bytes) : bytes_{bytes} {}

    boost::context::stack_context allocate();
    void deallocate(boost::context::stack_context& stack) noexcept;

  private:
    std::size_t bytes_;
};

} // namespace sim
