#include "sim/engine.hpp"

#include "nova/kernel.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sim {

char const* stop_name(Stop s)
{
    switch (s) {
    case Stop::idle:
        return "idle";
    case Stop::root:
        return "root";
    case Stop::cycle_limit:
        return "cycle_limit";
    case Stop::dispatch_limit:
        return "dispatch_limit";
    case Stop::requested:
        return "requested";
    case Stop::watchdog:
        return "watchdog";
    }
    return "?";
}

Engine::Engine(Engine_config const& config, Event_log& log)
    : config_{config}, log_{log}, processors_(config.cpus)
{
    if (config.cpus == 0) throw Simulation_error("a machine needs at least one CPU");
    // The boot CPU looks for work first; the others only ever get work through an event.
    processors_[0].make_ready();
}

Engine::~Engine()
{
    discard_flows();
}

void Engine::bind(nova::Kernel& kernel, Code& code)
{
    kernel_ = &kernel;
    code_ = &code;
}

void Engine::note(Event::Kind kind, std::uint32_t cpu, std::uint64_t a, std::uint64_t b)
{
    log_.record(Event{kind, cpu, processors_[cpu].clock(), a, b});
}

void Engine::set_timer(std::uint32_t cpu, std::uint64_t deadline)
{
    if (processors_.at(cpu).timer() == deadline) return; // re-arming the same deadline is no event
    processors_[cpu].set_timer(deadline);
    ++changes_;
    note(Event::Kind::timer_set, cpu, deadline);
}

// The sender is whatever CPU the host thread works for; its clock dates the interrupt.
void Engine::send_ipi(std::uint32_t cpu)
{
    std::uint64_t jitter = config_.ipi_jitter == 0 ? 0 : draw() % (config_.ipi_jitter + 1);
    std::uint64_t arrival = processors_[active_cpu_].clock() + config_.ipi_latency + jitter;
    processors_.at(cpu).post_ipi(arrival);
    ++changes_;
    note(Event::Kind::ipi_send, active_cpu_, cpu, arrival);
}

std::uint64_t Engine::draw()
{
    if (!random_) random_.emplace(config_.seed);
    return (*random_)();
}

// Timer and IPIs in time order; a timer and an IPI due at the same time: the timer first.
void Engine::deliver_due(std::uint32_t cpu)
{
    Processor& p = processors_[cpu];
    for (;;) {
        bool timer = p.timer_due() && p.timer() <= p.first_ipi();
        if (timer) {
            p.set_timer(never);
            ++changes_;
            note(Event::Kind::timer_fire, cpu);
            kernel_->timer_interrupt(cpu);
        } else if (p.ipi_due()) {
            ++changes_;
            note(Event::Kind::ipi_deliver, cpu, p.take_due_ipis());
            kernel_->ipi(cpu);
        } else {
            return;
        }
    }
}

void Engine::poll_interrupts(std::uint32_t cpu)
{
    if (!in_engine_) pause_if_behind(cpu);
    deliver_due(cpu);
}

void Engine::catch_up(std::uint32_t cpu)
{
    if (!in_engine_) pause_if_behind(cpu);
}

// The other CPUs' earliest wake-ups, split by index for the (time, index) order. Every kernel
// entry asks, so the answer is kept until something that moves a wake-up happens (changes_).
Engine::Others const& Engine::others(std::uint32_t cpu) const
{
    if (others_.cpu == cpu && others_.changes == changes_) return others_;
    others_ = Others{cpu, changes_, never, never};
    for (std::uint32_t other = 0; other < cpus(); ++other) {
        std::uint64_t t = processors_[other].wake_time();
        if (other < cpu) others_.lower = std::min(others_.lower, t);
        if (other > cpu) others_.higher = std::min(others_.higher, t);
    }
    return others_;
}

// Another CPU with work comes first in (time, index) order, or this one reached the run's end.
bool Engine::must_pause(std::uint32_t cpu) const
{
    std::uint64_t now = processors_[cpu].clock();
    if (now >= limits_.until_tsc || stop_requested_) return true;
    Others const& o = others(cpu);
    return o.lower <= now || o.higher < now;
}

std::uint64_t Engine::horizon(std::uint32_t cpu) const
{
    Processor const& p = processors_.at(cpu);
    Others const& o = others(cpu);
    return std::min({p.timer(), p.first_ipi(), limits_.until_tsc, o.lower, o.higher});
}

void Engine::request_stop(Stop reason, std::string detail)
{
    if (stop_requested_) return; // the first reason stands
    stop_requested_ = true;
    requested_stop_ = reason;
    stop_detail_ = std::move(detail);
}

void Engine::pause_if_behind(std::uint32_t cpu)
{
    Flow* flow = running_flow();
    if (flow == nullptr || !must_pause(cpu)) return; // nothing that could pause, or no need
    note(Event::Kind::pause, cpu, log_.id_of(&flow->ec()));
    processors_[cpu].pause(*flow);
    ++changes_;
    leave(*flow);
}

void Engine::suspend(std::uint32_t cpu, nova::Ec& ec)
{
    Flow* flow = running_flow();
    if (in_engine_ || flow == nullptr || &flow->ec() != &ec || cpu != active_cpu_) {
        throw Simulation_error(fmt::format(
            "suspend on cpu {} (active {}) of EC {} whose flow is not running (running: EC {})",
            cpu, active_cpu_, log_.id_of(&ec), flow != nullptr ? log_.id_of(&flow->ec()) : 0));
    }
    note(Event::Kind::suspend, cpu, log_.id_of(&ec));
    processors_[cpu].make_ready(); // the kernel must be asked what runs instead
    ++changes_;
    leave(*flow);
}

// The flow whose code calls us: the fiber running now, or else the host thread as the root's
// flow (nullptr once the root's flow is a fiber: then the host thread is nobody's flow).
Flow* Engine::running_flow()
{
    if (current_ != nullptr) return current_;
    if (kernel_ == nullptr || root_on_fiber_) return nullptr;
    if (host_flow_ == nullptr) host_flow_ = &flow_for(kernel_->root_ec());
    return host_flow_;
}

// From a flow back to the engine: a fiber parks; the host thread runs the engine in place.
void Engine::leave(Flow& flow)
{
    if (flow.on_host_thread()) return host_wait();
    flow.park();
}

void Engine::host_wait()
{
    Stop stop = loop(Limits{});
    if (stop != Stop::root) {
        std::string detail = stop_requested_ ? ": " + stop_detail_ : "";
        stop_requested_ = false; // the machine may go on, once its owner has read why
        throw Simulation_error(fmt::format("the root EC waits on the host thread, but the machine "
                                           "stopped: {}{}",
                                           stop_name(stop), detail));
    }
}

void Engine::root_on_fiber()
{
    if (kernel_ == nullptr) throw Simulation_error("the engine has no kernel");
    if (root_on_fiber_) throw Simulation_error("the root component runs once per machine");
    root_on_fiber_ = true;
    auto it = flows_.find(&kernel_->root_ec());
    if (it != flows_.end() && it->second->on_host_thread()) flows_.erase(it);
    host_flow_ = nullptr;
}

Run_result Engine::run(Limits const& limits)
{
    if (kernel_ == nullptr || current_ != nullptr) {
        throw Simulation_error("Engine::run is for the host thread of a bound engine");
    }
    // However the run ends, the host thread is the root's again and no limit stays behind.
    struct Run_scope {
        Engine& engine;
        ~Run_scope()
        {
            engine.limits_ = Limits{};
            engine.active_cpu_ = engine.kernel_->root_ec().cpu;
        }
    } scope{*this};
    limits_ = limits;
    dispatches_ = 0;
    Stop stop = loop(limits);
    Run_result result{stop, dispatches_, {}};
    if (stop_requested_) result.detail = std::move(stop_detail_);
    stop_requested_ = false;
    return result;
}

void Engine::flow_killed(nova::Ec& ec)
{
    auto it = flows_.find(&ec);
    if (it == flows_.end() || it->second->on_host_thread() || it->second.get() == current_) return;
    for (Processor const& p : processors_) {
        if (p.paused_flow() == it->second.get()) return;
    }
    killed_.push_back(it->second.get());
}

// A killed EC's flow runs out of the kernel and unwinds its code, on its own CPU.
void Engine::end_killed_flows()
{
    while (!killed_.empty()) {
        Flow* flow = killed_.back();
        killed_.pop_back();
        active_cpu_ = flow->ec().cpu;
        enter(*flow);
    }
}

Stop Engine::loop(Limits const& limits)
{
    for (;;) {
        end_killed_flows();
        if (stop_requested_) return requested_stop_;
        Processor* p = next_processor();
        if (p == nullptr) return Stop::idle;
        if (p->wake_time() >= limits.until_tsc) return Stop::cycle_limit;
        if (!dispatch_allowed(*p, limits)) return Stop::dispatch_limit;
        auto cpu = static_cast<std::uint32_t>(p - processors_.data());
        if (step(cpu) == Step::host) return Stop::root;
    }
}

// The CPU with work that comes first in (time, index) order.
Processor* Engine::next_processor()
{
    Processor* best = nullptr;
    for (Processor& p : processors_) {
        if (p.wake_time() != never && (best == nullptr || p.wake_time() < best->wake_time())) {
            best = &p;
        }
    }
    return best;
}

bool Engine::dispatch_allowed(Processor const& p, Limits const& limits) const
{
    return p.state() == Processor::State::paused || dispatches_ < limits.dispatches;
}

Engine::Step Engine::step(std::uint32_t cpu)
{
    Processor& p = processors_[cpu];
    if (config_.pace && p.wake_time() > p.clock()) config_.pace(p.wake_time());
    p.advance_to(p.wake_time());
    active_cpu_ = cpu;
    ++changes_;
    if (p.state() != Processor::State::paused) return dispatch_on(cpu);
    Flow& flow = *p.paused_flow();
    p.make_ready();
    note(Event::Kind::resume_paused, cpu, log_.id_of(&flow.ec()));
    return enter(flow);
}

Engine::Step Engine::dispatch_on(std::uint32_t cpu)
{
    in_engine_ = true;
    deliver_due(cpu);
    nova::Ec* ec = kernel_->dispatch(cpu);
    in_engine_ = false;
    ++dispatches_;
    note(Event::Kind::dispatch, cpu, log_.id_of(ec));
    ++changes_;
    if (ec == nullptr) {
        processors_[cpu].make_idle();
        return Step::done;
    }
    processors_[cpu].make_ready();
    return enter(flow_for(*ec));
}

// From the engine into a flow, until it comes back; a finished flow goes away.
Engine::Step Engine::enter(Flow& flow)
{
    if (flow.on_host_thread()) return Step::host;
    if (flow.finished()) throw Simulation_error("the kernel dispatched a flow that has ended");
    current_ = &flow;
    try {
        flow.resume();
    } catch (...) {
        current_ = nullptr;
        throw;
    }
    current_ = nullptr;
    if (flow.finished()) flows_.erase(&flow.ec());
    return Step::done;
}

Flow& Engine::flow_for(nova::Ec& ec)
{
    auto& slot = flows_[&ec];
    if (slot != nullptr) return *slot;
    if (&ec == &kernel_->root_ec() && !root_on_fiber_) {
        slot = std::make_unique<Flow>(ec);
    } else {
        slot = std::make_unique<Flow>(
            ec, [this](Flow& f) { flow_body(f); }, config_.stack_bytes);
    }
    return *slot;
}

// A global EC's life on its fiber: STARTUP (not for the root, which starts like NOVA's root
// task), its code, and the end of the flow, also when the kernel killed it on the way.
void Engine::flow_body(Flow& flow)
{
    nova::Ec& ec = flow.ec();
    std::uint32_t cpu = active_cpu_;
    std::uint64_t id = log_.id_of(&ec);
    note(Event::Kind::flow_start, cpu, id);
    try {
        if (&ec == &kernel_->root_ec()) {
            code_->run_flow(ec);
        } else if (kernel_->start_flow(ec)) {
            // A vCPU's flow is the kernel's: its guest runs through the platform.
            ec.is_vcpu() ? kernel_->run_vcpu(ec) : code_->run_flow(ec);
        }
    } catch (Ec_killed const& killed) {
        if (killed.ec != &ec) throw Simulation_error("an EC's code unwound past its own entry");
    }
    kernel_->end_flow(ec);
    note(Event::Kind::flow_end, cpu, id);
}

void Engine::discard_flows()
{
    host_flow_ = nullptr;
    while (!flows_.empty()) flows_.erase(flows_.begin());
}

} // namespace sim
