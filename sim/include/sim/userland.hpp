// The in-process user land: component code as C++ functions, named by IP cookies. A portal's
// IP (create_pt) names a handler; a global EC's RIP (which its STARTUP handler replies) names
// its entry; the root EC runs the root component. An IP that names nothing behaves like
// executing unmapped memory: a page fault (instruction fetch) at the EC's exception portal.
#pragma once

#include "sim/engine.hpp"
#include "sim/env.hpp"

#include <deque>
#include <functional>

namespace sim {

class Machine;

// Owned by the Machine. Registration and running both happen on the simulator's single host
// thread; a deque keeps running functions in place while components register more.
class Userland final : public Engine::Code {
  public:
    using Handler = std::function<void(Env&, mword pid)>;
    using Entry = std::function<void(Env&)>;

    static constexpr mword portal_base = 0x10'0000'0000;
    static constexpr mword entry_base = 0x20'0000'0000;
    static constexpr mword cookie_stride = 0x10;

    explicit Userland(Machine& machine) : machine_{machine} {}

    // A portal handler; pass the cookie as create_pt's IP. Returning from it is the reply.
    mword portal(Handler handler);
    // A global EC's code; a STARTUP handler replies the cookie as RIP (Env::resume_at).
    mword entry(Entry entry);
    // The root component: what the root EC runs when its flow is a fiber.
    void set_root(Entry root) { root_ = std::move(root); }

    void run_flow(nova::Ec& ec) override;
    void run_handler(nova::Ec& handler) override;

  private:
    template <typename Fn> Fn const& code_at(std::deque<Fn> const& table, mword base, Env& env);

    Machine& machine_;
    std::deque<Handler> handlers_;
    std::deque<Entry> entries_;
    Entry root_;
};

} // namespace sim
