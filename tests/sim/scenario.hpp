// Building blocks for scenarios: global ECs started through a shared STARTUP handler, one per
// CPU, each running a function of its own.
#pragma once

#include "nova/mtd.hpp"
#include "sim_fixture.hpp"

#include <functional>
#include <set>

namespace simtest {

// Selector plan: per CPU c, a STARTUP handler EC at 64+c; per global EC n, the EC at 128+2n,
// its SC at 129+2n and its exception portals from evt_of(n) on.
inline constexpr mword startup_handler_sel(std::uint32_t cpu)
{
    return 64 + cpu;
}
inline constexpr mword evt_of(unsigned n)
{
    return 0x1000 + 0x100 * mword{n};
}
inline constexpr mword global_sel(unsigned n)
{
    return 128 + 2 * mword{n};
}
inline constexpr mword sc_sel(unsigned n)
{
    return 129 + 2 * mword{n};
}

// Starts global ECs: each gets a STARTUP portal whose PID names its entry, served by the
// STARTUP handler EC of its CPU.
class Starter {
  public:
    explicit Starter(Env& root) : root_{root}
    {
        handler_ = root.userland().portal(
            [this](Env& h, mword pid) { h.resume_at(entries_.at(pid), 0x7000'0000); });
    }

    void prepare_cpu(std::uint32_t cpu)
    {
        ASSERT_EQ(root_.create_ec(
                      {.sel = startup_handler_sel(cpu), .utcb = utcb_at(200 + cpu), .cpu = cpu}),
                  Status::success);
    }

    // Global EC n on `cpu` at priority `prio`, running `code`.
    void start(unsigned n, std::uint32_t cpu, u8 prio, std::function<void(Env&)> code,
               mword quantum_us = 1000)
    {
        entries_.push_back(root_.userland().entry(std::move(code)));
        mword startup = evt_of(n) + 0x1e;
        ASSERT_EQ(root_.create_pt(startup, startup_handler_sel(cpu), handler_, mtd::rip_len),
                  Status::success);
        ASSERT_EQ(root_.pt_ctrl(startup, entries_.size() - 1), Status::success);
        ASSERT_EQ(root_.create_ec({.sel = global_sel(n),
                                   .utcb = utcb_at(n),
                                   .cpu = cpu,
                                   .global = true,
                                   .evt = evt_of(n)}),
                  Status::success);
        ASSERT_EQ(root_.create_sc(sc_sel(n), global_sel(n), Qpd{quantum_us, prio}),
                  Status::success);
    }

  private:
    Env& root_;
    mword handler_{0};
    std::vector<mword> entries_; // entry cookies by PID
};

} // namespace simtest
