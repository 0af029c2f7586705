#include "kvm/backend.hpp"

#include "kvm/probe.hpp"
#include "nova/ec.hpp"
#include "nova/vmx.hpp"

#include <chrono>
#include <fcntl.h>
#include <fmt/format.h>
#include <mutex>

namespace kvm {

using namespace nova;

namespace {

std::uint64_t host_ns()
{
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

// One tick per thread, shared by the backends of all machines on it.
std::shared_ptr<Tick> shared_tick(std::uint32_t period_us)
{
    thread_local std::weak_ptr<Tick> tick;
    std::shared_ptr<Tick> t = tick.lock();
    if (!t) tick = t = std::make_shared<Tick>(period_us);
    return t;
}

// Measured once per process: the answer is a property of the host's KVM.
Calibration calibrated(int kvm)
{
    static Calibration c;
    static std::once_flag once;
    std::call_once(once, [kvm] { c = Calibration::measure(kvm); });
    return c;
}

} // namespace

sim::Vcpu_backend_factory kvm_backend(Backend_config const& config)
{
    return [config](sim::Machine& machine) -> std::unique_ptr<sim::Vcpu_backend> {
        if (!probe().usable) return nullptr;
        return std::make_unique<Backend>(machine, config);
    };
}

Backend::Backend(sim::Machine& machine, Backend_config const& config)
    : machine_{machine}, config_{config}
{
    char const* path = std::getenv("NOVASIM_KVM_DEVICE");
    kvm_ = Fd{::open(path != nullptr ? path : "/dev/kvm", O_RDWR | O_CLOEXEC)};
    if (!kvm_.valid()) throw Kvm_error{"open /dev/kvm", errno};
    calibration_ = calibrated(kvm_.get());
    tick_ = shared_tick(config.tick_us);
    host_start_ns_ = host_ns();
}

Backend::~Backend() = default;

Guest_memory& Backend::memory_of(Pd const& pd)
{
    auto& slot = memories_[&pd];
    if (!slot) slot = std::make_unique<Guest_memory>(machine_.memory());
    return *slot;
}

Backend::Vm_entry& Backend::vm_entry(Pd& pd)
{
    Vm_entry& e = vms_[&pd];
    if (!e.vm) {
        e.vm = std::make_unique<Vm>(kvm_.get(), memory_of(pd), config_.vm);
        memory_of(pd).changed(0, 0); // the new VM's slots must be made
    }
    return e;
}

bool Backend::create(Ec& ec)
{
    try {
        Vm_entry& vm = vm_entry(*ec.pd);
        auto vcpu = std::make_unique<Vcpu>(*vm.vm, kvm_.get(), vm.next_id, calibration_);
        tick_->allow_in(vcpu->fd());
        ++vm.next_id, ++vm.vcpus;
        vcpus_[&ec] = Vcpu_entry{std::move(vcpu), ec.pd};
        return true;
    } catch (Kvm_error const& e) {
        last_error_ = e.what();
        return false;
    }
}

void Backend::destroy(Ec& ec)
{
    auto it = vcpus_.find(&ec);
    if (it == vcpus_.end()) return; // a vCPU whose creation failed
    Pd const* pd = it->second.pd;
    if (last_ec_ == &ec) last_ec_ = nullptr, last_entry_ = nullptr;
    vcpus_.erase(it);
    auto vm = vms_.find(pd);
    if (vm != vms_.end() && --vm->second.vcpus == 0) vms_.erase(vm);
}

void Backend::guest_view_changed(Pd& pd, mword first, mword count)
{
    memory_of(pd).changed(first, count);
}

void Backend::prepare_memory(Vcpu_entry& entry)
{
    Guest_memory& memory = memory_of(*entry.pd);
    if (!memory.dirty()) return;
    memory.refresh(machine_.kernel(), *entry.pd);
    vms_.at(entry.pd).vm->sync_slots();
}

nova::Vm_exit Backend::run(Ec& ec)
{
    Vcpu_entry* entry = entry_of(ec);
    if (entry == nullptr) return Vm_exit{vmx::invalid_state};
    try {
        return run_guest(ec, *entry);
    } catch (Kvm_error const& e) {
        failed(ec, e.what());
        return Vm_exit{};
    }
}

// In deterministic time a stretch that the host's tick cut short, with no exit, is invisible: it
// costs no simulated time and the guest goes straight back in, so that where the host's signal
// (or a host that descheduled the thread, or a slow first entry) happened to land leaves no mark
// on the run. Only a guest that stays in KVM without an exit for `quiet_ms` of host time (one
// that waits in a loop) gives its CPU back, at a cost that does not depend on the host: one tick,
// at most up to the CPU's next event.
nova::Vm_exit Backend::run_guest(Ec& ec, Vcpu_entry& entry)
{
    prepare_memory(entry);
    if (auto question = entry.vcpu->next_cpuid_question(kvm_.get())) return *question;
    for (;;) {
        std::uint64_t start = host_ns();
        Vm_exit exit = entry.vcpu->run();
        std::uint64_t took = host_ns() - start;
        if (exit.event == Vm_exit::none) Tick::take_pending();
        watch(entry, exit, took);
        if (!invisible(entry, exit, took)) {
            charge(ec, exit, took);
            return exit;
        }
    }
}

bool Backend::invisible(Vcpu_entry& entry, Vm_exit const& exit, std::uint64_t took_ns)
{
    if (config_.time != Backend_config::Time::deterministic || exit.event != Vm_exit::none) {
        entry.quiet_ns = 0;
        return false;
    }
    entry.quiet_ns += took_ns;
    if (entry.quiet_ns < std::uint64_t{config_.quiet_ms} * 1'000'000 &&
        !machine_.engine().stopping())
        return true;
    entry.quiet_ns = 0;
    return false;
}

// The simulated time a guest stretch took (Backend_config::Time).
void Backend::charge(Ec& ec, Vm_exit const& exit, std::uint64_t took_ns)
{
    std::uint64_t khz = machine_.config().tsc_khz;
    std::uint64_t cycles = took_ns * khz / 1'000'000;
    if (config_.time == Backend_config::Time::measured) {
        // The host's time outside KVM (the kernel and the VMM at work, a host that descheduled
        // the thread) passes for the guest too: the CPU's clock catches up with the host's.
        std::uint64_t elapsed = (host_ns() - host_start_ns_) * khz / 1'000'000;
        std::uint64_t now = machine_.engine().tsc(ec.cpu);
        cycles = std::max(cycles, elapsed > now ? elapsed - now : 0);
    } else if (exit.event != Vm_exit::none) {
        cycles = config_.exit_cycles;
    } else {
        std::uint64_t tick = std::uint64_t{config_.tick_us} * khz / 1000;
        std::uint64_t now = machine_.engine().tsc(ec.cpu);
        std::uint64_t horizon = machine_.engine().horizon(ec.cpu);
        cycles = std::min(tick, horizon > now ? horizon - now : 1);
    }
    machine_.engine().charge(ec.cpu, cycles);
}

void Backend::watch(Vcpu_entry& entry, Vm_exit const& exit, std::uint64_t took_ns)
{
    if (config_.wall_deadline && std::chrono::steady_clock::now() > *config_.wall_deadline) {
        machine_.engine().request_stop(sim::Stop::requested,
                                       "wall-clock timeout: the scenario's limit has passed");
    }
    if (exit.event != Vm_exit::none) {
        entry.stalled_ns = 0;
        return;
    }
    entry.stalled_ns += took_ns;
    if (entry.stalled_ns / 1'000'000 < config_.watchdog_ms) return;
    machine_.engine().request_stop(
        sim::Stop::watchdog,
        fmt::format("watchdog: the guest ran {} ms of host time without an exit; {}",
                    entry.stalled_ns / 1'000'000, entry.vcpu->describe()));
}

void Backend::failed(Ec& ec, std::string const& what)
{
    Vcpu* vcpu = vcpu_of(ec);
    last_error_ = fmt::format("KVM failed: {}; {}", what, vcpu ? vcpu->describe() : "");
    machine_.engine().request_stop(sim::Stop::requested, last_error_);
}

void Backend::load(Ec& ec, mword mtd, Utcb_arch& to)
{
    try {
        if (Vcpu* v = vcpu_of(ec)) v->load(mtd, to);
    } catch (Kvm_error const& e) {
        failed(ec, e.what());
    }
}

void Backend::store(Ec& ec, mword mtd, Utcb_arch const& from)
{
    try {
        if (Vcpu* v = vcpu_of(ec)) v->store(mtd, from);
    } catch (Kvm_error const& e) {
        failed(ec, e.what());
    }
}

// Every exit asks three times (run, load, store), mostly for the vCPU it asked for last.
Backend::Vcpu_entry* Backend::entry_of(Ec const& ec)
{
    if (&ec == last_ec_) return last_entry_;
    auto it = vcpus_.find(&ec);
    if (it == vcpus_.end()) return nullptr;
    last_ec_ = &ec;
    return last_entry_ = &it->second;
}

Vcpu* Backend::vcpu_of(Ec const& ec)
{
    Vcpu_entry* entry = entry_of(ec);
    return entry == nullptr ? nullptr : entry->vcpu.get();
}

Vm* Backend::vm_of(Pd const& pd)
{
    auto it = vms_.find(&pd);
    return it == vms_.end() ? nullptr : it->second.vm.get();
}

} // namespace kvm
