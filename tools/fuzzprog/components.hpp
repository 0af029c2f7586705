// The components a program declares (tools/README.md, "Components"), built by the root with
// ordinary hypercalls: `ec` a local EC, `portal` a portal whose handler runs the block, `thread` a
// global EC with an SC, started through a STARTUP portal, that runs its block and then signals
// a semaphore the root waits on at the end of the program. Each of these hypercalls is written
// in the program language's own forms and goes through the run's oracles, like a statement.
#pragma once

#include "program/runner.hpp"
#include "sim/machine.hpp"

#include <deque>
#include <initializer_list>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace fuzzprog {

class Program_run;

// The runner's own selectors, far above the named ones (resources.hpp).
inline constexpr std::uint64_t startup_handler_base = 0x10'0000; // + CPU
inline constexpr std::uint64_t thread_done_base = 0x18'0000;     // + thread index
inline constexpr std::uint64_t thread_evt_base = 0x20'0000;      // + 0x100 * thread index
inline constexpr std::uint64_t utcb_base = 0x7000'0000'0000;     // + 0x1000 * UTCB index

class Components {
  public:
    Components(Program_run& run, sim::Machine& machine);

    // Builds the declared component; the status of the first hypercall that failed.
    hcl::Outcome declare(hcl::Instruction const& instruction, sim::Env& root);
    // Waits for every started thread to finish its block; reports those that did not.
    void wait_for_threads(sim::Env& root, std::uint64_t cycles, std::ostream& out);
    // The name a handler of local EC `selector` runs under.
    std::string ec_name(std::uint64_t selector) const;

  private:
    struct Thread {
        std::string name;
        std::uint64_t done;
        hcl::Instruction const* declaration;
    };
    struct Entry {
        sim::mword ip;
        hcl::Instruction const* declaration;
    };
    using Operands = std::initializer_list<std::pair<std::string_view, std::uint64_t>>;

    nova::Status make(sim::Env& env, hcl::Instruction const& declaration, std::string_view mnemonic,
                      std::uint64_t selector, Operands operands, std::uint8_t flags = 0);
    nova::Status declare_ec(hcl::Instruction const& instruction, sim::Env& root);
    nova::Status declare_portal(hcl::Instruction const& instruction, sim::Env& root);
    nova::Status declare_thread(hcl::Instruction const& instruction, sim::Env& root);
    nova::Status start_thread(hcl::Instruction const& instruction, sim::Env& root,
                              std::uint64_t evt);
    nova::Status prepare_cpu(hcl::Instruction const& instruction, std::uint32_t cpu,
                             sim::Env& root);
    void startup(sim::Env& handler, sim::mword pid);
    void set_windows(std::uint64_t ec, hcl::Instruction const& instruction);
    std::uint64_t next_utcb() { return utcb_base + 0x1000 * utcbs_++; }

    Program_run& run_;
    sim::Machine& machine_;
    std::uint64_t utcbs_{0};
    sim::mword startup_ip_{0};
    std::deque<Entry> entries_; // thread entries, by STARTUP portal PID
    std::map<std::uint32_t, nova::Status> cpus_prepared_;
    std::map<std::uint64_t, std::string> ec_names_;
    std::vector<Thread> threads_;
};

} // namespace fuzzprog
