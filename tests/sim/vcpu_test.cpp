// vCPUs in the kernel without KVM: a scripted backend stands for the hardware, so these tests see
// exactly what the kernel does with VM exits — STARTUP, events at evt + reason with the portal's
// MTD, replies written back by their MTD, parking by activity state, RECALL, exits made up by
// the platform, and the guest view of memory reported to the backend.
#include "nova/mtd.hpp"
#include "nova/vmx.hpp"
#include "sim/vcpu_backend.hpp"
#include "sim_fixture.hpp"

#include <deque>
#include <memory>

namespace simtest {
namespace {

// The hardware: exits come from a script; state is one RIP that loads report and stores set.
class Scripted_vcpus final : public sim::Vcpu_backend {
  public:
    struct Record {
        mword event;
        mword mtd;
    };

    bool create(Ec&) override
    {
        ++created;
        return accept;
    }
    void destroy(Ec&) override { ++destroyed; }
    Vm_exit run(Ec&) override
    {
        ++runs;
        if (script.empty()) return Vm_exit{vmx::hlt}; // a guest that only halts from here on
        Vm_exit e = script.front();
        script.pop_front();
        return e;
    }
    void load(Ec&, mword mtd, Utcb_arch& to) override
    {
        loads.push_back({to.exit_reason, mtd});
        if (mtd & mtd::rip_len) to.rip = rip, to.inst_len = 1;
    }
    void store(Ec&, mword mtd, Utcb_arch const& from) override
    {
        stores.push_back({from.exit_reason, mtd});
        if (mtd & mtd::rip_len) rip = from.rip;
    }
    void guest_view_changed(Pd&, mword first, mword count) override
    {
        views.push_back({first, count});
    }

    bool accept{true};
    int created{0}, destroyed{0}, runs{0};
    std::deque<Vm_exit> script;
    std::vector<Record> loads, stores;
    std::vector<std::pair<mword, mword>> views;
    mword rip{0xfff0};
};

constexpr mword portals = 0x200; // the exit portals in the root, order 8; at 0 in the VM PD
constexpr mword handler_ec = 40, vm_pd = 41, vcpu = 42, vcpu_sc = 43;

struct Vcpu_machine {
    explicit Vcpu_machine(bool with_backend = true)
    {
        sim::Machine_config c = config(2);
        if (with_backend) {
            c.vcpu_backend = [this](sim::Machine&) {
                auto b = std::make_unique<Scripted_vcpus>();
                backend = b.get();
                return b;
            };
        }
        machine = std::make_unique<sim::Machine>(c);
    }

    // A portal for `event` whose handler logs it and then does `reply`.
    void handle(Env& root, mword event, mword mtd, std::function<void(Env&)> reply = {})
    {
        mword ip = root.userland().portal([this, event, reply](Env& h, mword) {
            seen.push_back(event);
            h.utcb().arch.mtd = 0;
            if (reply) reply(h);
        });
        ASSERT_EQ(root.create_pt(portals + event, handler_ec, ip, mtd), Status::success);
    }

    // The VM's PD receives the exit portals; its vCPU takes its events at evt 0.
    void make_vm(Env& root)
    {
        ASSERT_EQ(root.create_pd(vm_pd, Crd{Crd::Type::obj, portals, 8, perm::all}),
                  Status::success);
        ASSERT_EQ(root.create_ec({.sel = vcpu, .utcb = 0, .global = true, .owner = vm_pd}),
                  Status::success);
        ASSERT_EQ(root.create_sc(vcpu_sc, vcpu, Qpd{1000, 2}), Status::success);
    }

    // The root on the host thread: its hypercalls run the machine when they block, and run()
    // lets everything else go on until the machine idles or the root has its CPU back.
    Env root() { return Env{*machine, machine->kernel().root_ec()}; }
    void run() { machine->run(); }

    std::unique_ptr<sim::Machine> machine;
    Scripted_vcpus* backend{nullptr};
    std::vector<mword> seen;
};

void park(Env& h)
{
    h.utcb().arch.mtd = mtd::sta;
    h.utcb().arch.actv_state = vmx::activity::hlt;
}

void skip_instruction(Env& h)
{
    h.utcb().arch.mtd = mtd::rip_len;
    h.utcb().arch.rip += h.utcb().arch.inst_len;
}

TEST(Vcpu, CreationNeedsVmxOrABackend)
{
    Vcpu_machine without{false};
    {
        Env root = without.root();
        EXPECT_EQ(root.create_ec({.sel = vcpu, .utcb = 0, .global = true}), Status::bad_ftr);
    }
    without.run();
    Vcpu_machine refusing;
    refusing.backend->accept = false;
    {
        Env root = refusing.root();
        EXPECT_EQ(root.create_ec({.sel = vcpu, .utcb = 0, .global = true}), Status::bad_ftr);
    }
    refusing.run();
    EXPECT_EQ(refusing.backend->created, 1);
    EXPECT_EQ(refusing.backend->destroyed, 1); // the refused EC was torn down again
    expect_invariants(*refusing.machine);
}

TEST(Vcpu, StartupAndExitsReachTheirPortalsWithTheirMtds)
{
    Vcpu_machine vm;
    vm.backend->script = {Vm_exit{vmx::io, {vmx::io_qual::make(1, false, 0x80), 0}}};
    {
        Env root = vm.root();
        ASSERT_EQ(root.create_ec({.sel = handler_ec, .utcb = utcb_at(0)}), Status::success);
        vm.handle(root, vmx::startup, mtd::rip_len | mtd::cr);
        vm.handle(root, vmx::io, mtd::rip_len | mtd::qual, skip_instruction);
        vm.handle(root, vmx::hlt, mtd::rip_len | mtd::sta, park);
        vm.make_vm(root);
    }
    vm.run();
    EXPECT_EQ(vm.seen, (std::vector<mword>{vmx::startup, vmx::io, vmx::hlt}));
    ASSERT_EQ(vm.backend->loads.size(), 3u);
    EXPECT_EQ(vm.backend->loads[1].mtd, mtd::rip_len | mtd::qual);
    EXPECT_EQ(vm.backend->loads[2].mtd, mtd::rip_len | mtd::sta);
    ASSERT_EQ(vm.backend->stores.size(), 3u);
    EXPECT_EQ(vm.backend->stores[0].mtd, 0u);
    EXPECT_EQ(vm.backend->stores[1].mtd, mtd::rip_len);
    EXPECT_EQ(vm.backend->rip, 0xfff1u); // the I/O handler skipped one byte
    // Parked by the HLT reply: the machine idles, and the vCPU's SC waits on it.
    Ec* ec = object_cast<Ec>(
        reinterpret_cast<Kobject*>(vm.machine->kernel().root_pd().obj.lookup(vcpu)->resource()));
    ASSERT_NE(ec, nullptr);
    EXPECT_TRUE(ec->halted);
    EXPECT_EQ(vm.backend->runs, 2);
    expect_invariants(*vm.machine);
}

TEST(Vcpu, RecallWakesAParkedVcpuAndItsReplyResumesIt)
{
    Vcpu_machine vm;
    int recalls = 0;
    {
        Env root = vm.root();
        ASSERT_EQ(root.create_ec({.sel = handler_ec, .utcb = utcb_at(0)}), Status::success);
        vm.handle(root, vmx::startup, 0);
        vm.handle(root, vmx::hlt, mtd::sta, park);
        // The first recall finds it parked and leaves it parked; the second resumes it.
        vm.handle(root, vmx::recall, mtd::rip_len, [&recalls](Env& h) {
            if (++recalls == 1) park(h);
        });
        vm.make_vm(root);
    }
    vm.run();
    EXPECT_EQ(vm.seen, (std::vector<mword>{vmx::startup, vmx::hlt}));
    for (int i = 0; i < 2; ++i) {
        {
            Env root = vm.root();
            EXPECT_EQ(root.ec_ctrl(vcpu), Status::success);
        }
        vm.run();
    }
    // Recall, parked; recall, resumed; the guest halts again and parks.
    EXPECT_EQ(vm.seen,
              (std::vector<mword>{vmx::startup, vmx::hlt, vmx::recall, vmx::recall, vmx::hlt}));
    expect_invariants(*vm.machine);
}

TEST(Vcpu, AnExitMadeUpByThePlatformNeedsAPortalAndARealOneKillsWithout)
{
    Vcpu_machine vm;
    vm.backend->script = {Vm_exit{vmx::cpuid, {}, true}, Vm_exit{vmx::io}};
    {
        Env root = vm.root();
        ASSERT_EQ(root.create_ec({.sel = handler_ec, .utcb = utcb_at(0)}), Status::success);
        vm.handle(root, vmx::startup, 0);
        vm.make_vm(root);
    }
    vm.run();
    // No CPUID portal: the made-up exit is dropped; no I/O portal: the vCPU dies there.
    EXPECT_EQ(vm.seen, (std::vector<mword>{vmx::startup}));
    EXPECT_EQ(vm.backend->runs, 2);
    EXPECT_EQ(vm.backend->destroyed, 0); // its capability and its SC still hold it
    {
        Env root = vm.root();
        root.revoke(Crd{Crd::Type::obj, vcpu, 0, perm::all}, true);
        EXPECT_EQ(vm.backend->destroyed, 0);
        root.revoke(Crd{Crd::Type::obj, vcpu_sc, 0, perm::all}, true);
    }
    vm.run();
    EXPECT_EQ(vm.backend->destroyed, 1);
    expect_invariants(*vm.machine);
}

TEST(Vcpu, GuestMemoryDelegatedAndRevokedIsReportedToTheBackend)
{
    Vcpu_machine vm;
    constexpr mword frame = 0x100, gpa_page = 0xfffff;
    // The root holds one frame of the machine (the kernel function stands for its pager).
    Kernel& k = vm.machine->kernel();
    Crd page{Crd::Type::mem, frame, 0, perm::mem_r | perm::mem_w | perm::mem_x};
    k.delegate(k.root_pd(), k.root_pd(), Delegation{page, page, 0, false, false, true});
    {
        Env root = vm.root();
        ASSERT_EQ(root.create_ec({.sel = handler_ec, .utcb = utcb_at(0)}), Status::success);
        // STARTUP maps the frame at the reset vector's page, in the guest view.
        vm.handle(root, vmx::startup, 0, [&](Env& h) {
            h.add_delegate(Crd{Crd::Type::mem, frame, 0, perm::mem_r | perm::mem_x}, gpa_page,
                           item::guest);
        });
        vm.handle(root, vmx::hlt, 0, park);
        vm.make_vm(root);
    }
    vm.run();
    ASSERT_EQ(vm.backend->views.size(), 1u);
    EXPECT_EQ(vm.backend->views[0], (std::pair<mword, mword>{gpa_page, 1}));
    // Taking execute away changes the VM's mapping; taking read away removes it.
    {
        Env root = vm.root();
        EXPECT_EQ(root.revoke(Crd{Crd::Type::mem, frame, 0, perm::mem_x}), Status::success);
        EXPECT_EQ(root.revoke(Crd{Crd::Type::mem, frame, 0, perm::mem_r}), Status::success);
    }
    vm.run();
    ASSERT_EQ(vm.backend->views.size(), 4u); // demoted, demoted to nothing, removed
    EXPECT_EQ(vm.backend->views[3], (std::pair<mword, mword>{gpa_page, 1}));
    EXPECT_EQ(k.view_lookup(k.root_pd(), Crd::Type::mem, Kernel::View::host, frame),
              k.root_pd().mem.lookup(frame)); // the root's own copy is untouched
    expect_invariants(*vm.machine);
}

} // namespace
} // namespace simtest
