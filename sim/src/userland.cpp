#include "sim/userland.hpp"

#include "nova/kernel.hpp"
#include "sim/machine.hpp"

namespace sim {

mword Userland::portal(Handler handler)
{
    handlers_.push_back(std::move(handler));
    return portal_base + (handlers_.size() - 1) * cookie_stride;
}

mword Userland::entry(Entry entry)
{
    entries_.push_back(std::move(entry));
    return entry_base + (entries_.size() - 1) * cookie_stride;
}

// The function at the EC's RIP. An IP that names none faults like a fetch from unmapped memory;
// the handler may redirect RIP, or the EC dies (Env::raise unwinds).
template <typename Fn>
Fn const& Userland::code_at(std::deque<Fn> const& table, mword base, Env& env)
{
    for (;;) {
        mword ip = env.ec().regs.rip;
        mword index = (ip - base) / cookie_stride;
        if (ip >= base && (ip - base) % cookie_stride == 0 && index < table.size()) {
            return table[index];
        }
        env.raise(vector_page_fault, pf_fetch, ip);
    }
}

void Userland::run_flow(nova::Ec& ec)
{
    Env env{machine_, ec};
    if (&ec != &machine_.kernel().root_ec()) return code_at(entries_, entry_base, env)(env);
    if (!root_)
        throw Simulation_error("the root EC runs on a fiber, but there is no root component");
    root_(env);
}

// The handler's return is its reply; a handler whose EC the kernel killed unwinds to here and
// does not reply (the kernel already ended its call).
void Userland::run_handler(nova::Ec& handler)
{
    Env env{machine_, handler};
    Event_log& log = machine_.log();
    std::uint64_t id = log.id_of(&handler);
    mword pid = handler.regs.rdi;
    log.record(Event{Event::Kind::handler_start, handler.cpu, env.tsc(), id, pid});
    try {
        code_at(handlers_, portal_base, env)(env, pid);
    } catch (Ec_killed const& killed) {
        if (killed.ec != &handler)
            throw Simulation_error("an EC's code unwound past its own entry");
        log.record(Event{Event::Kind::handler_end, handler.cpu, env.tsc(), id, 0});
        return;
    }
    log.record(Event{Event::Kind::handler_end, handler.cpu, env.tsc(), id, 1});
    nova::Sys_regs reply = env.frame(nova::Hypercall::reply, 0);
    machine_.syscall(handler, reply);
}

} // namespace sim
