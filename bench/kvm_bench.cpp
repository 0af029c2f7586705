// The VM-exit path (issue "vCPUs on /dev/kvm"): a real-mode guest doing OUT in a loop, measured
// in one run as a bare KVM_RUN loop and through the whole novasim path — KVM exit, NOVA event,
// portal IPC into the handler, reply, re-entry — with the smallest MTD that can handle the exit
// and with all state. Reports microseconds per exit and KVM calls per exit. Skips with the
// probe's reason without a usable /dev/kvm.
#include "kvm/backend.hpp"
#include "kvm/probe.hpp"
#include "nova/mtd.hpp"
#include "nova/vmx.hpp"
#include "scenarios/guest_images.hpp"
#include "sim/env.hpp"

#include <benchmark/benchmark.h>

#include <cstring>
#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace {

using namespace nova;

constexpr int exits_per_iteration = 1000;

// The bare loop: KVM's own API and nothing else, the guest at 0x1000 in real mode.
struct Bare_vm {
    int kvm, vm, vcpu;
    kvm_run* run;

    Bare_vm()
    {
        kvm = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
        vm = ::ioctl(kvm, KVM_CREATE_VM, 0);
        ::ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000ul);
        void* mem =
            ::mmap(nullptr, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        auto image = scenarios::guest_io_loop16();
        std::memcpy(mem, image.data(), image.size());
        kvm_userspace_memory_region r{0, 0, 0x1000, 0x1000, reinterpret_cast<std::uint64_t>(mem)};
        ::ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r);
        vcpu = ::ioctl(vm, KVM_CREATE_VCPU, 0);
        auto size = static_cast<std::size_t>(::ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
        run = static_cast<kvm_run*>(
            ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0));
        kvm_sregs s{};
        ::ioctl(vcpu, KVM_GET_SREGS, &s);
        s.cs.base = 0, s.cs.selector = 0;
        ::ioctl(vcpu, KVM_SET_SREGS, &s);
        kvm_regs regs{};
        regs.rip = 0x1000, regs.rflags = 2;
        ::ioctl(vcpu, KVM_SET_REGS, &regs);
    }
    ~Bare_vm() { ::close(vcpu), ::close(vm), ::close(kvm); }
};

void BM_bare_kvm_run_loop(benchmark::State& state)
{
    if (kvm::Probe p = kvm::probe(); !p.usable) return state.SkipWithError(p.reason.c_str());
    Bare_vm vm;
    for (auto _ : state) {
        for (int i = 0; i < exits_per_iteration; ++i) {
            if (::ioctl(vm.vcpu, KVM_RUN, 0) != 0 || vm.run->exit_reason != KVM_EXIT_IO)
                return state.SkipWithError("the bare loop did not see an I/O exit");
        }
    }
    state.counters["us/exit"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * exits_per_iteration,
        benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::kIs1000);
}
BENCHMARK(BM_bare_kvm_run_loop)->Unit(benchmark::kMillisecond)->UseRealTime();

constexpr mword all_state = mtd::gpr_acdb | mtd::gpr_bsd | mtd::rsp | mtd::rip_len | mtd::rflags |
                            mtd::ds_es | mtd::fs_gs | mtd::cs_ss | mtd::tr | mtd::ldtr | mtd::gdtr |
                            mtd::idtr | mtd::cr | mtd::dr | mtd::sysenter | mtd::qual | mtd::inj |
                            mtd::sta | mtd::tsc | mtd::efer | mtd::r8_r15 | mtd::syscall_swapgs |
                            mtd::tpr | mtd::tsc_aux | mtd::fpu;

// The novasim path: a VMM in the root PD (handler EC, portals, VM PD, vCPU) whose I/O handler
// advances RIP; after each batch it parks the vCPU and wakes the root, which recalls it for the
// next batch (one recall per thousand exits).
class Novasim_vm {
  public:
    static constexpr mword handler = 0x100, vm_pd = 0x101, vcpu = 0x102, sc = 0x103, done = 0x104;
    static constexpr mword portals = 0x4000;

    explicit Novasim_vm(mword io_mtd)
    {
        sim::Machine_config c{.cpus = 1, .ram_bytes = 64ull << 20, .kernel_bytes = 16ull << 20};
        c.log_events = false;
        c.vcpu_backend = [this](sim::Machine& m) {
            auto b = std::make_unique<kvm::Backend>(m, kvm::Backend_config{});
            backend = b.get();
            return b;
        };
        machine = std::make_unique<sim::Machine>(c);
        auto image = scenarios::guest_io_loop16();
        std::memcpy(machine->memory().frame(0x1001), image.data(), image.size());
        set_up(io_mtd);
    }

    void batch()
    {
        sim::Env root{*machine, machine->kernel().root_ec()};
        if (started) root.ec_ctrl(vcpu);
        started = true;
        root.sm_down(done);
    }

    std::unique_ptr<sim::Machine> machine;
    kvm::Backend* backend{nullptr};
    std::uint64_t exits{0};

  private:
    void set_up(mword io_mtd);
    void portal(sim::Env& root, mword event, mword mtd, sim::Userland::Handler fn)
    {
        root.create_pt(portals + event, handler, root.userland().portal(std::move(fn)), mtd);
    }
    bool started{false};
};

void Novasim_vm::set_up(mword io_mtd)
{
    sim::Env root{*machine, machine->kernel().root_ec()};
    root.create_ec({.sel = handler, .utcb = 0x1000'0000});
    root.create_sm(done);
    portal(root, vmx::startup, 0, [](sim::Env& h, mword) {
        Utcb_arch& a = h.utcb().arch;
        a.mtd = mtd::rip_len | mtd::cs_ss;
        a.rip = 0x1000;
        a.cs = Utcb_segment{0, 0x9b, 0xffff, 0};
        h.add_delegate(Crd{Crd::Type::mem, 0x1001, 0, perm::all}, 1,
                       item::from_kernel | item::guest);
    });
    portal(root, vmx::io, io_mtd, [this](sim::Env& h, mword) {
        Utcb_arch& a = h.utcb().arch;
        a.mtd = mtd::rip_len;
        a.rip += a.inst_len;
        if (++exits % exits_per_iteration != 0) return;
        a.mtd |= mtd::sta, a.actv_state = vmx::activity::hlt;
        h.sm_up(done);
    });
    portal(root, vmx::recall, mtd::rip_len, [](sim::Env& h, mword) { h.utcb().arch.mtd = 0; });
    root.create_pd(vm_pd, Crd{Crd::Type::obj, portals, 8, perm::all});
    root.create_ec({.sel = vcpu, .utcb = 0, .global = true, .owner = vm_pd});
    root.create_sc(sc, vcpu, Qpd{10'000, 1});
}

void BM_novasim_exit_path(benchmark::State& state)
{
    if (kvm::Probe p = kvm::probe(); !p.usable) return state.SkipWithError(p.reason.c_str());
    bool small = state.range(0) == 0;
    Novasim_vm vm{small ? mtd::rip_len | mtd::qual : all_state};
    vm.batch(); // warm-up: STARTUP, the first fault, CPUID
    std::uint64_t exits_before = vm.exits;
    Kernel& k = vm.machine->kernel();
    auto* ec = object_cast<Ec>(
        reinterpret_cast<Kobject*>(k.root_pd().obj.lookup(Novasim_vm::vcpu)->resource()));
    std::uint64_t calls_before = vm.backend->vcpu_of(*ec)->kvm_calls();
    for (auto _ : state) vm.batch();
    double exits = static_cast<double>(vm.exits - exits_before);
    state.counters["us/exit"] =
        benchmark::Counter(exits, benchmark::Counter::kIsRate | benchmark::Counter::kInvert,
                           benchmark::Counter::kIs1000);
    state.counters["KVM calls/exit"] =
        static_cast<double>(vm.backend->vcpu_of(*ec)->kvm_calls() - calls_before) / exits;
}
BENCHMARK(BM_novasim_exit_path)
    ->ArgName("all_state")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

} // namespace

BENCHMARK_MAIN();
