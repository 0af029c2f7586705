#include "sim/host_platform.hpp"

#include "nova/assert.hpp"
#include "nova/ec.hpp"
#include "nova/vmx.hpp"
#include "sim/engine.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace sim {

Host_platform::Host_platform(Physical_memory& memory)
    : memory_{memory}, next_frame_{memory.kernel_first_frame()},
      end_frame_{memory.frames()}, total_{memory.frames() - memory.kernel_first_frame()}
{
}

void* Host_platform::alloc_page()
{
    if (free_pages() == 0 || budget_ == 0) return nullptr;
    if (budget_ != SIZE_MAX) --budget_;
    void* page = nullptr;
    if (free_.empty()) {
        page = memory_.frame(next_frame_++);
    } else {
        page = free_.back();
        free_.pop_back();
    }
    std::memset(page, 0, 4096);
    return page;
}

void Host_platform::free_page(void* page)
{
    if (!memory_.contains(page) || memory_.frame_of(page) < memory_.kernel_first_frame()) {
        nova::assert_failed("free_page of a page outside the kernel region", __FILE__, __LINE__);
    }
    free_.push_back(page);
}

nova::mword Host_platform::frame_of(void const* page)
{
    return memory_.frame_of(page);
}

Engine& Host_platform::engine()
{
    if (engine_ == nullptr)
        nova::assert_failed("time or execution without an engine", __FILE__, __LINE__);
    return *engine_;
}

std::uint64_t Host_platform::tsc(std::uint32_t cpu)
{
    return engine().tsc(cpu);
}
void Host_platform::charge(std::uint32_t cpu, std::uint64_t cycles)
{
    engine().charge(cpu, cycles);
}
void Host_platform::set_timer(std::uint32_t cpu, std::uint64_t deadline)
{
    engine().set_timer(cpu, deadline);
}
void Host_platform::send_ipi(std::uint32_t cpu)
{
    engine().send_ipi(cpu);
}
void Host_platform::poll_interrupts(std::uint32_t cpu)
{
    engine().poll_interrupts(cpu);
}
void Host_platform::flow_killed(nova::Ec& flow)
{
    engine().flow_killed(flow);
}

void Host_platform::suspend(std::uint32_t cpu, nova::Ec& flow)
{
    engine().suspend(cpu, flow);
}

// The handler runs on this CPU's current flow; the engine knows which CPU that is.
void Host_platform::run_handler(std::uint32_t cpu, nova::Ec& handler)
{
    nova_assert(cpu == engine().active_cpu());
    engine().run_handler(handler);
}

// Without a backend a vCPU is an object whose guest cannot be entered.
bool Host_platform::vcpu_create(nova::Ec& vcpu)
{
    return vcpus_ == nullptr || vcpus_->create(vcpu);
}

void Host_platform::vcpu_destroy(nova::Ec& vcpu)
{
    if (vcpus_ != nullptr) vcpus_->destroy(vcpu);
}

// A guest stretch is component work like any other: it starts in global time order.
nova::Vm_exit Host_platform::vcpu_run(nova::Ec& vcpu)
{
    if (vcpus_ == nullptr) return nova::Vm_exit{nova::vmx::invalid_state};
    engine().catch_up(vcpu.cpu);
    return vcpus_->run(vcpu);
}

void Host_platform::vcpu_load(nova::Ec& vcpu, nova::mword mtd, nova::Utcb_arch& to)
{
    if (vcpus_ != nullptr) vcpus_->load(vcpu, mtd, to);
}

void Host_platform::vcpu_store(nova::Ec& vcpu, nova::mword mtd, nova::Utcb_arch const& from)
{
    if (vcpus_ != nullptr) vcpus_->store(vcpu, mtd, from);
}

void Host_platform::guest_view_changed(nova::Pd& pd, nova::mword first, nova::mword count)
{
    if (vcpus_ != nullptr) vcpus_->guest_view_changed(pd, first, count);
}

} // namespace sim

// The kernel's assertion hook: on a host, report and abort so the test runner shows the site.
void nova::assert_failed(char const* expr, char const* file, int line)
{
    std::fprintf(stderr, "novasim: kernel assertion failed: %s at %s:%d\n", expr, file, line);
    std::abort();
}
