// The platform interface of kernel_core implemented for a host process: kernel pages from the
// kernel region of the simulated physical memory; time, timers, IPIs and flows from the engine.
#pragma once

#include "nova/platform.hpp"
#include "sim/physical_memory.hpp"
#include "sim/vcpu_backend.hpp"

#include <cstdint>
#include <vector>

namespace sim {

class Engine;

class Host_platform final : public nova::Platform {
  public:
    // Kernel pages only; time and execution need an engine (attach). Unattached, the time
    // services report a misuse as a kernel assertion.
    explicit Host_platform(Physical_memory& memory);
    void attach(Engine& engine) { engine_ = &engine; }
    // The backend that runs vCPUs (nullptr: vCPUs are objects only, see vcpu_backend.hpp).
    void attach(Vcpu_backend* vcpus) { vcpus_ = vcpus; }

    void* alloc_page() override;
    void free_page(void* page) override;
    nova::mword frame_of(void const* page) override;

    std::uint64_t tsc(std::uint32_t cpu) override;
    void charge(std::uint32_t cpu, std::uint64_t cycles) override;
    void set_timer(std::uint32_t cpu, std::uint64_t deadline) override;
    void send_ipi(std::uint32_t cpu) override;
    void poll_interrupts(std::uint32_t cpu) override;
    void suspend(std::uint32_t cpu, nova::Ec& flow) override;
    void flow_killed(nova::Ec& flow) override;
    void run_handler(std::uint32_t cpu, nova::Ec& handler) override;

    bool vcpu_create(nova::Ec& vcpu) override;
    void vcpu_destroy(nova::Ec& vcpu) override;
    nova::Vm_exit vcpu_run(nova::Ec& vcpu) override;
    void vcpu_load(nova::Ec& vcpu, nova::mword mtd, nova::Utcb_arch& to) override;
    void vcpu_store(nova::Ec& vcpu, nova::mword mtd, nova::Utcb_arch const& from) override;
    void guest_view_changed(nova::Pd& pd, nova::mword first, nova::mword count) override;

    std::size_t free_pages() const { return free_.size() + (end_frame_ - next_frame_); }
    std::size_t total_pages() const { return total_; }
    // Lets tests starve the kernel: only `pages` more allocations succeed (SIZE_MAX: no limit).
    void limit_pages(std::size_t pages) { budget_ = pages; }

  private:
    Engine& engine();

    Physical_memory& memory_;
    // Pages come from the bottom of the region up: the frames from next_frame_ on have never
    // been handed out; free_ holds those given back. A list of every frame, made at boot, cost
    // more than the rest of a fuzzer's boot.
    std::vector<void*> free_;
    std::uint64_t next_frame_;
    std::uint64_t end_frame_;
    std::size_t total_;
    std::size_t budget_{SIZE_MAX};
    Engine* engine_{nullptr};      // the machine's engine; it outlives the kernel's use of us
    Vcpu_backend* vcpus_{nullptr}; // owned by the machine, like the engine
};

} // namespace sim
