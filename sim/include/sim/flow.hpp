// A flow: the host context of a global EC (later also a vCPU) — a fiber with its own stack, so
// that the EC's code can stop in the middle of a hypercall (blocked, preempted, helping) and
// continue there later. The root EC driven by Machine::hypercall_as_root has the host thread as
// its flow instead. Local ECs have no flow: their handlers run on the caller's.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>

namespace nova {
class Ec;
}

namespace sim {

class Flow {
  public:
    using Body = std::function<void(Flow&)>;

    // A flow on a fiber of `stack_bytes` that runs `body` from its first resume().
    Flow(nova::Ec& ec, Body body, std::size_t stack_bytes);
    // The host thread as the flow of `ec`: it cannot be resumed or parked like a fiber.
    explicit Flow(nova::Ec& ec);
    // A fiber that has not finished is unwound here: an internal exception destroys its C++
    // frames. Code on a fiber must therefore let every exception it does not know pass (no
    // `catch (...)` that swallows).
    ~Flow();
    Flow(Flow const&) = delete;
    Flow& operator=(Flow const&) = delete;

    nova::Ec& ec() const { return ec_; }
    bool on_host_thread() const { return fiber_ == nullptr; }
    bool finished() const;

    // Engine side: runs the fiber until it parks or finishes. What its body threw is rethrown
    // here, on the resumer's stack.
    void resume();
    // Flow side, on the fiber: hands control back to whoever resumed it; returns when resumed.
    void park();

  private:
    struct Fiber;

    void run_body();
    void switch_in();

    nova::Ec& ec_;
    Body body_;
    std::unique_ptr<Fiber> fiber_; // nullptr for the host thread
};

// Thrown on a flow when the kernel killed the EC whose code runs there (an exception nobody
// handled); caught where that EC's code was entered, so that its C++ frames unwind. The kernel
// is never unwound by it: it is thrown only after the kernel returned.
struct Ec_killed {
    nova::Ec const* ec;
};

} // namespace sim
