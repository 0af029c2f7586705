#include "guest_vm.hpp"

#include <cstring>
#include <fstream>
#include <iterator>

namespace kvmtest {

Guest_vm::Guest_vm(Guest_options options) : options_{std::move(options)}
{
    sim::Machine_config c{};
    c.cpus = options_.cpus;
    c.ram_bytes = 64ull << 20;
    c.kernel_bytes = 16ull << 20;
    c.vcpu_backend = [this](sim::Machine& m) -> std::unique_ptr<sim::Vcpu_backend> {
        auto b = std::make_unique<kvm::Backend>(m, options_.backend);
        backend_ = b.get();
        return b;
    };
    machine_ = std::make_unique<sim::Machine>(c);
    load_guest();
    if (options_.root_holds_ram) {
        Kernel& k = machine_->kernel();
        Crd all{Crd::Type::mem, first_frame, 12, perm::all};
        k.delegate(k.root_pd(), k.root_pd(), Delegation{all, all, 0, false, false, true});
    }
    Env r = root();
    EXPECT_EQ(r.create_ec({.sel = handler_ec, .utcb = 0x1000'0000, .cpu = options_.vcpu_cpu}),
              Status::success);
    EXPECT_EQ(r.create_sm(wait_sm), Status::success);
    on(vmx::startup, 0);
}

void Guest_vm::load_guest()
{
    std::string path = std::string{NOVASIM_GUEST_DIR} + "/" + options_.guest;
    std::ifstream in{path, std::ios::binary};
    ASSERT_TRUE(in) << "no guest image " << path;
    std::vector<char> image{std::istreambuf_iterator<char>{in}, {}};
    ASSERT_LE(options_.load + image.size(), options_.ram);
    for (std::size_t i = 0; i < image.size(); ++i) *ram(options_.load + i) = image[i];
}

std::uint8_t* Guest_vm::ram(std::uint64_t gpa)
{
    return machine_->memory().frame(first_frame + gpa / 4096) + gpa % 4096;
}

void Guest_vm::on(mword event, mword mtd, Handler handler)
{
    ASSERT_FALSE(started_) << "portals go to the VM when it is created: on() before start()";
    handlers_[event] = std::move(handler);
    Env r = root();
    mword ip = r.userland().portal([this, event](Env& h, mword) {
        Utcb_arch& a = h.utcb().arch;
        exits_.push_back(Exit{event, a});
        a.mtd = 0;
        if (event == vmx::startup) {
            set_real_mode_entry(a);
            map_ram(h);
        }
        if (auto& f = handlers_[event]) f(h, a);
    });
    r.revoke(Crd{Crd::Type::obj, portals + event, 0, perm::all}, true); // a new handler
    EXPECT_EQ(r.create_pt(portals + event, handler_ec, ip, mtd), Status::success);
}

// Real mode at the load address, as after a reset but with CS = 0.
void Guest_vm::set_real_mode_entry(Utcb_arch& a) const
{
    a.mtd |= mtd::rip_len | mtd::rflags | mtd::cs_ss | mtd::ds_es | mtd::fs_gs;
    a.rip = options_.load;
    a.rflags = 2;
    Utcb_segment data{0, 0x93, 0xffff, 0};
    a.cs = Utcb_segment{0, 0x9b, 0xffff, 0};
    a.ss = a.ds = a.es = a.fs = a.gs = data;
}

// The STARTUP reply delegates guest RAM in aligned power-of-two pieces, guest view only.
void Guest_vm::map_ram(Env& h)
{
    mword pages = options_.ram / 4096;
    mword item_flags = item::guest | (options_.root_holds_ram ? 0 : item::from_kernel);
    for (mword page = 0; page < pages;) {
        unsigned order = 0;
        while (!options_.page_by_page && order < 12 && page % (mword{2} << order) == 0 &&
               page + (mword{2} << order) <= pages)
            ++order;
        h.add_delegate(Crd{Crd::Type::mem, first_frame + page, static_cast<u8>(order), perm::all},
                       page, item_flags);
        page += mword{1} << order;
    }
}

void Guest_vm::start(std::uint8_t prio, mword quantum_us)
{
    started_ = true;
    Env r = root();
    EXPECT_EQ(r.create_pd(vm_pd, Crd{Crd::Type::obj, portals, 8, perm::all}), Status::success);
    EXPECT_EQ(
        r.create_ec(
            {.sel = vcpu_sel, .utcb = 0, .cpu = options_.vcpu_cpu, .global = true, .owner = vm_pd}),
        Status::success)
        << backend_->last_error();
    EXPECT_EQ(r.create_sc(vcpu_sc, vcpu_sel, Qpd{quantum_us, prio}), Status::success);
}

std::string Guest_vm::run(std::uint64_t for_cycles)
{
    Env r = root();
    try {
        EXPECT_EQ(r.sm_down(wait_sm, false, r.tsc() + for_cycles), Status::timeout);
    } catch (sim::Simulation_error const& e) {
        return e.what();
    }
    return {};
}

kvm::Vcpu& Guest_vm::vcpu()
{
    Kernel& k = machine_->kernel();
    auto* ec =
        object_cast<Ec>(reinterpret_cast<Kobject*>(k.root_pd().obj.lookup(vcpu_sel)->resource()));
    return *backend_->vcpu_of(*ec);
}

std::vector<mword> Guest_vm::events() const
{
    std::vector<mword> out;
    for (Exit const& e : exits_) out.push_back(e.event);
    return out;
}

void expect_healthy(Guest_vm& vm)
{
    Check_result c = vm.machine().kernel().check();
    EXPECT_TRUE(c.ok()) << "invariant broken: " << c.invariant;
    EXPECT_EQ(vm.root().create_sm(0x3000), Status::success);
}

void skip_instruction(Utcb_arch& reply)
{
    reply.mtd |= mtd::rip_len;
    reply.rip += reply.inst_len;
}

void park(Utcb_arch& reply)
{
    reply.mtd |= mtd::sta;
    reply.actv_state = vmx::activity::hlt;
}

} // namespace kvmtest
