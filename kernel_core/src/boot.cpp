// Boot as [C14] does it: the HIP, the kernel's own spaces (all memory, all ports, the idle SCs and
// interrupt semaphores), and the root PD, EC and SC at selectors EXC+0..2.
#include "nova/kernel.hpp"

namespace nova {

Status Kernel::boot()
{
    Status s = build_hip();
    if (s == Status::success) s = build_kernel_spaces();
    if (s == Status::success) s = build_root();
    return s;
}

Status Kernel::build_hip()
{
    hip_ = static_cast<Hip*>(platform_.alloc_page());
    if (hip_ == nullptr) return Status::oom;
    ++extra_pages_;
    Hip& h = *hip_;
    h.signature = Hip::nova_signature;
    h.cpu_offs = __builtin_offsetof(Hip, cpu_desc);
    h.cpu_size = sizeof(Hip_cpu);
    h.mem_offs = sizeof(Hip);
    h.mem_size = sizeof(Hip_mem);
    h.api_flg = config_.vmx ? Hip::feature_vmx : 0;
    h.api_ver = Hip::api_version;
    h.sel_num = u32{1} << config_.sel_bits;
    h.sel_exc = sel_exc;
    h.sel_vmi = sel_vmi;
    h.sel_gsi = config_.gsis;
    h.cfg_page = page_size;
    h.cfg_utcb = page_size;
    h.freq_tsc = config_.tsc_khz;
    for (u32 cpu = 0; cpu < config_.cpus; ++cpu) {
        h.cpu_desc[cpu] = Hip_cpu{1, 0, static_cast<u8>(cpu), 0, cpu};
    }
    usize room = (page_size - sizeof(Hip)) / sizeof(Hip_mem);
    usize count = min<usize>(config_.memory_count, room);
    copy_bytes(reinterpret_cast<u8*>(hip_) + h.mem_offs, config_.memory, count * sizeof(Hip_mem));
    h.length = static_cast<u16>(h.mem_offs + count * sizeof(Hip_mem));
    h.checksum = static_cast<u16>(-h.sum());
    return Status::success;
}

// The kernel's memory space holds every RAM frame as root mappings of maximal aligned blocks.
Status Kernel::add_memory_nodes(Hip_mem const& region)
{
    mword frame = region.addr >> page_bits;
    mword end = (region.addr + region.size) >> page_bits;
    while (frame < end) {
        u8 order = 0;
        while (order < 30 && (frame & ((mword{2} << order) - 1)) == 0 &&
               frame + (mword{2} << order) <= end) {
            ++order;
        }
        u8 perms = perm::mem_r | perm::mem_w | perm::mem_x;
        Mdb_node* node = new_node(kernel_pd_->mem, frame, order, frame, perms, node_attr::host);
        if (node == nullptr || !enter(node)) return Status::oom;
        frame += mword{1} << order;
    }
    return Status::success;
}

Status Kernel::build_kernel_spaces()
{
    kernel_pd_ = make<Pd>(config_.sel_bits);
    if (kernel_pd_ == nullptr) return Status::oom;
    kernel_pd_->acquire(); // the kernel's own PD lives as long as the kernel
    for (u32 i = 0; i < config_.memory_count; ++i) {
        if (config_.memory[i].type != Hip_mem::ram) continue;
        if (Status s = add_memory_nodes(config_.memory[i]); s != Status::success) return s;
    }
    Mdb_node* ports = new_node(kernel_pd_->pio, 0, Space::pio_key_bits, 0, perm::pio_a, 0);
    if (ports == nullptr || !enter(ports)) return Status::oom;
    // Object selectors 0..NCPU-1: idle SCs; NCPU..NCPU+NGSI-1: interrupt semaphores ([C14] §6.1.1).
    for (u32 cpu = 0; cpu < config_.cpus; ++cpu) {
        Sc* idle = make<Sc>(nullptr, cpu, u8{0}, u64{0}, u64{0});
        if (idle == nullptr) return Status::oom;
        if (Status s = install(*kernel_pd_, cpu, idle, initial_perm::sc); s != Status::success) {
            return s;
        }
        cpus_[cpu].idle = idle;
    }
    for (mword gsi = 0; gsi < config_.gsis; ++gsi) {
        Sm* sm = make<Sm>(u64{0});
        if (sm == nullptr) return Status::oom;
        Status s = install(*kernel_pd_, Hip::max_cpus + gsi, sm, perm::sm_up | perm::sm_dn);
        if (s != Status::success) return s;
    }
    return Status::success;
}

Status Kernel::build_root()
{
    root_pd_ = make<Pd>(config_.sel_bits);
    if (root_pd_ == nullptr) return Status::oom;
    if (Status s = install(*root_pd_, sel_exc + 0, root_pd_, perm::all); s != Status::success) {
        return s;
    }
    // The HIP appears read-only one page below the end of user space; the root UTCB below it.
    Mdb_node* hip = new_node(root_pd_->mem, hip_addr >> page_bits, 0, platform_.frame_of(hip_),
                             perm::mem_r, node_attr::kernel | node_attr::host);
    if (hip == nullptr || !enter(hip)) return Status::oom;
    void* utcb = map_kernel_page(*root_pd_, root_utcb_addr, perm::mem_r | perm::mem_w);
    if (utcb == nullptr) return Status::oom;
    root_ec_ = make<Ec>(Ec::Params{root_pd_, 0, true, root_utcb_addr, utcb, hip_addr, 0});
    if (root_ec_ == nullptr) return Status::oom;
    root_pd_->acquire();
    // The root's flow runs from boot (it takes no STARTUP), and a running flow holds its EC:
    // without this reference a root that revokes its own capabilities would free itself while
    // it runs, or while it waits in a semaphore's queue.
    root_ec_->flow_running = true;
    root_ec_->acquire();
    if (Status s = install(*root_pd_, sel_exc + 1, root_ec_, initial_perm::ec);
        s != Status::success) {
        return s;
    }
    u64 quantum = us_to_tsc(root_quantum_us);
    root_sc_ = make<Sc>(root_ec_, u32{0}, root_prio, u64{root_quantum_us}, quantum);
    if (root_sc_ == nullptr) return Status::oom;
    root_ec_->acquire();
    ++root_ec_->bound_scs;
    Status s = install(*root_pd_, sel_exc + 2, root_sc_, initial_perm::sc);
    if (s == Status::success) make_ready(root_sc_, 0);
    return s;
}

u64 Kernel::us_to_tsc(u64 us) const
{
    u64 khz = config_.tsc_khz;
    if (us > ~u64{0} / khz) return ~u64{0};
    return us * khz / 1000;
}

u64 Kernel::tsc_to_us(u64 tsc) const
{
    u64 khz = config_.tsc_khz;
    return tsc / khz * 1000 + tsc % khz * 1000 / khz;
}

} // namespace nova
