// The kernel instance: boot, the one hypercall entry, the delegation engine and the invariant
// checker. No global state: a process may hold many kernels (the fuzzer and tests do).
#pragma once

#include "abi.hpp"
#include "check.hpp"
#include "cpu.hpp"
#include "ec.hpp"
#include "hip.hpp"
#include "kobject.hpp"
#include "pd.hpp"
#include "platform.hpp"
#include "pt.hpp"
#include "sc.hpp"
#include "slab.hpp"
#include "sm.hpp"
#include "utcb.hpp"

namespace nova {

struct Boot_config {
    u32 cpus{4};                    // 1..Hip::max_cpus
    u32 tsc_khz{2'000'000};         // simulated TSC frequency
    unsigned sel_bits{26};          // sel_num = 2^sel_bits, as [C14] on x86-64
    u32 gsis{128};                  // interrupt pins, 1..max_gsis (24: one I/O APIC)
    bool vmx{false};                // whether vCPUs can be created
    Hip_mem const* memory{nullptr}; // the machine's memory map, for the HIP
    u32 memory_count{0};
    // The cost model (design.md §3): simulated cycles that kernel work takes.
    u64 cost_hypercall{200}; // every kernel entry
    u64 cost_ipc_word{4};    // every word an IPC or event message copies
    u64 cost_switch{300};    // every time a CPU switches to another SC
};

// What a delegate typed item carries ([C14] §3.4), plus the sender's CRD. The CRD the engine
// returns carries the combined mask (sender's and window's), as [C14] writes it back into the
// item; each mapping's own rights are further limited by its source.
struct Delegation {
    Crd send{};   // sender's range and permission mask
    Crd window{}; // receiver's receive window
    mword hotspot{0};
    bool dma{false};         // D: also enter memory in the DMA view
    bool guest{false};       // G: also enter memory or ports in the guest view
    bool from_kernel{false}; // H: source is the kernel's own spaces (root PD only)
};

// The rights a mapping delegated from one holding `source` gets under `mask`, the combined
// mask of the sender's CRD and the receive window (src/rights.cpp).
u8 delegated_rights(u8 source, u8 mask);

class Kernel {
  public:
    static constexpr mword sel_exc = 32;
    static constexpr mword sel_vmi = 256;
    static constexpr mword max_gsis = 128; // the kernel PD's selectors for them
    static constexpr mword root_quantum_us = 10'000;
    static constexpr u8 root_prio = 1;

    Kernel(Platform& platform, Boot_config const& config);
    Kernel(Kernel const&) = delete;
    Kernel& operator=(Kernel const&) = delete;

    // Builds the HIP, the kernel's own spaces and the root PD, EC and SC.
    Status boot();

    // The one hypercall entry: `regs` is the frame `syscall` delivers for EC `self`. It returns
    // when `self` may continue in user mode; until then it may suspend its flow.
    void syscall(Ec& self, Sys_regs& regs);

    // --- Execution, called by the simulator ----------------------------------------------
    // The flow (global EC or vCPU) that must run on `cpu` now: the owner of the chain the current
    // SC runs, after picking the next SC if none is current. nullptr when the CPU idles.
    Ec* dispatch(u32 cpu);
    void timer_interrupt(u32 cpu);
    void ipi(u32 cpu);
    // First entry of a global EC's flow: delivers STARTUP (evt+0x1e); on return `self.regs`
    // holds the state the STARTUP handler replied (RIP, RSP, ...). False when `self` was killed.
    bool start_flow(Ec& self);
    // A host exception of `self` (vector 0..0x1f): an implicit call to the portal at
    // evt+vector with the state the portal's MTD names; the reply's MTD writes state back into
    // `self.regs`. False when `self` was killed (no usable portal, or its handler died).
    bool exception(Ec& self, u8 vector, u64 error_code, u64 fault_addr);
    // The flow's own code ended: the EC blocks for good.
    void end_flow(Ec& self);
    // A vCPU's flow after STARTUP: its guest and its VM exits, until it is killed (vcpu.cpp).
    void run_vcpu(Ec& self);
    // Component code of `self` computed for a while (the simulator charged it): what an
    // interrupt in user mode would do — deliver due interrupts, preempt, deliver a recall.
    void preemption_point(Ec& self);
    // The EC whose flow hosts `ec` (follows reply capabilities up to a global EC or vCPU).
    static Ec& flow_of(Ec& ec);

    // The delegation engine shared by create_pd and IPC typed items. Returns the CRD of what
    // the receiver got (a null CRD when nothing was delegated). `status` becomes OOM when kernel
    // memory ran out part-way; what was delegated until then stays, consistently.
    Crd delegate(Pd& src, Pd& dst, Delegation const& item, Status* status = nullptr);
    Crd lookup(Pd& pd, Crd crd) const;
    // Removes the CRD's rights from every mapping derived from the PD's mappings in the CRD's
    // range, across all PDs, and from the PD's own with `self` ([C14] §3.5).
    void revoke(Pd& pd, Crd crd, bool self);
    // Translate item ([C14] Pd::xlt_crd): the receiver's own name for the capability `crd` of the
    // sender, found by walking up its derivation chain to a mapping in the receiver's space that
    // lies inside `window`. A null CRD when there is none.
    Crd translate(Pd& src, Pd& dst, Crd crd, Crd window);

    // The mapping that makes `key` (a page or port) visible in one view of a PD's memory or port
    // space, or nullptr. The host view of memory is what lies below user_addr.
    enum class View : u8 { host, guest, dma };
    Mdb_node const* view_lookup(Pd& pd, Crd::Type type, View view, mword key) const;

    // The invariant checker. check() walks everything and counts every reference exactly.
    // check_changes() checks every object, but of the spaces whose radix version moved since it
    // last looked only the nodes the radix logged as changed (the whole space when the log
    // does not reach back), and compares references by weighted sums (a random weight per
    // object, so any miscount shows); when the sums differ it runs check() to name the object.
    // What neither a logged change nor an object records, such as a derivation link bent in a
    // node that did not change, only check() sees.
    Check_result check();
    Check_result check_changes();

    Platform& platform() { return platform_; }
    Boot_config const& config() const { return config_; }
    Hip const& hip() const { return *hip_; }
    Pd& root_pd() { return *root_pd_; }
    Ec& root_ec() { return *root_ec_; }
    Sc& root_sc() { return *root_sc_; }
    Pd& kernel_pd() { return *kernel_pd_; }

    usize live_objects(Object_type type) const { return live_count_[static_cast<u8>(type)]; }
    // ECs that lost their last capability and reference while their flow still runs: killed,
    // and gone once the platform has unwound the flow (counted among the live ECs until then).
    usize orphaned_flows() const { return orphaned_flows_; }
    usize live_nodes() const { return node_cache_.objects_in_use(); }
    usize node_bytes() const { return node_cache_.object_size(); }
    usize kernel_pages() const;

  private:
    friend class Checker;
    struct Creation;

    // Hypercall handlers, one per number; each decodes, checks capabilities and returns a status.
    Status sys_create_pd(Ec& self, Sys_regs& r);
    Status sys_create_ec(Ec& self, Sys_regs& r);
    Status sys_create_sc(Ec& self, Sys_regs& r);
    Status sys_create_pt(Ec& self, Sys_regs& r);
    Status sys_create_sm(Ec& self, Sys_regs& r);
    Status sys_revoke(Ec& self, Sys_regs& r);
    Status sys_lookup(Ec& self, Sys_regs& r);
    Status sys_sc_ctrl(Ec& self, Sys_regs& r);
    Status sys_pt_ctrl(Ec& self, Sys_regs& r);
    Status sys_call(Ec& self, Sys_regs& r);
    Status sys_reply(Ec& self, Sys_regs& r);
    Status sys_ec_ctrl(Ec& self, Sys_regs& r);
    Status sys_sm_ctrl(Ec& self, Sys_regs& r);
    Status handle(Ec& self, Sys_regs& r);

    // Scheduling (schedule.cpp).
    void apply_reschedule(u32 cpu);
    void enter(Ec& self, u64 cost);
    void leave(Ec& self);
    void settle(Ec& self);
    void account(u32 cpu);
    void arm_timer(u32 cpu);
    bool pick(u32 cpu);
    void make_ready(Sc* sc, u32 from_cpu, bool at_head = false);
    void park(Sc* sc, Ec* on);
    void unpark_all(Ec* ec, u32 from_cpu);
    void forget_sc(Sc* sc);
    static Ec* chain_end(Ec* ec);
    static bool stopped(Ec& ec);

    // IPC and events (ipc.cpp).
    Status help_once(Ec& self, Ec& callee, bool nonblocking);
    Status call_portal(Ec& self, mword sel, Pt*& pt);
    Status call(Ec& self, Ec& callee, Pt& pt);
    Pt* free_event_portal(Ec& self, mword event);
    bool helping_cycle(Ec& self, Ec& callee) const;
    void rendezvous(Ec& self, Ec& callee, Pt& pt);
    bool end_rendezvous(Ec& self, Ec& callee);
    void transfer_message(Ec& from, Ec& to);
    void transfer_items(Ec& from, Utcb& src, Ec& to, Utcb& dst, usize count, bool to_event);
    void load_event(Ec& self, Utcb& dst, mword mtd, mword event);
    void store_event(Ec& handler, Ec& target);
    Pt* event_portal(Ec& self, mword event);
    bool deliver_event(Ec& self, mword event);

    // vCPUs (vcpu.cpp).
    void deliver_vm_exit(Ec& self, Vm_exit const& exit);
    void store_vcpu_event(Utcb_arch const& a, Ec& vcpu);
    void wake_vcpu(Ec& vcpu, u32 from_cpu);
    void note_guest_view(Mdb_node const& node);
    void kill(Ec& ec);

    // Semaphores and timeouts (sm.cpp).
    Status sm_down(Ec& self, Sm& sm, bool zero, u64 deadline);
    void sm_up(Ec& self, Sm& sm);
    void release(Ec* ec, Status status, u32 from_cpu);
    void stop_waiting(Ec& ec);
    void add_timeout(Ec* ec);
    void remove_timeout(Ec* ec);
    void expire_timeouts(u32 cpu);

    // Object life cycle.
    Slab_cache& cache(Object_type type);
    void* alloc_object(Object_type type);
    void register_object(Kobject* obj);
    template <typename T, typename... Args> T* make(Args const&... args)
    {
        void* mem = alloc_object(T::type_id);
        if (mem == nullptr) return nullptr;
        T* obj = new (Placement{}, mem) T{args...};
        register_object(obj);
        return obj;
    }
    Status install(Pd& pd, mword sel, Kobject* obj, u8 perms);
    void put(Kobject* obj);
    void orphan(Ec& ec);
    void release_ec(Ec& ec);
    void reap();
    void destroy(Kobject* obj);

    // Capability installation and removal.
    template <typename T> T* cap(Pd& pd, mword sel, u8 needed, u8* perms = nullptr)
    {
        Mdb_node* node = pd.obj.lookup(sel);
        if (node == nullptr || (node->perms() & needed) != needed) return nullptr;
        if (perms != nullptr) *perms = node->perms();
        return object_cast<T>(reinterpret_cast<Kobject*>(node->resource()));
    }
    Mdb_node* new_node(Space& space, mword base, u8 order, mword resource, u8 perms, u8 attr);
    bool enter(Mdb_node* node);
    void remove_node(Mdb_node* node);
    void revoke_subtree(Mdb_node* root, u8 perms, bool self, mword lo, mword hi);
    void demote_node(Mdb_node* node, u8 perms);
    void revoke_all(Mdb_node* root);
    void clear_space(Space& space);
    void* map_kernel_page(Pd& pd, mword addr, u8 perms);
    void unmap_kernel_page(Pd& pd, mword addr, void* page);

    // Delegation helpers.
    bool delegate_range(Space& src, Space& dst, mword snd_base, mword rcv_base, u8 order, u8 perms,
                        u8 attr);
    bool delegate_one(Mdb_node* from, Space& dst, mword src_base, mword rcv_base, u8 order,
                      u8 perms, u8 attr);

    // Boot helpers.
    Status build_hip();
    Status build_kernel_spaces();
    Status build_root();
    Status add_memory_nodes(Hip_mem const& region);
    u64 us_to_tsc(u64 us) const;
    u64 tsc_to_us(u64 tsc) const;

    Platform& platform_;
    Boot_config config_;
    Slab_cache pd_cache_, ec_cache_, sc_cache_, pt_cache_, sm_cache_, node_cache_;
    Hip* hip_{nullptr};
    Pd* kernel_pd_{nullptr};
    Pd* root_pd_{nullptr};
    Ec* root_ec_{nullptr};
    Sc* root_sc_{nullptr};
    Kobject* live_{nullptr}; // registry of live objects (circular), for the checker
    Kobject* dead_{nullptr}; // objects whose last reference went, waiting for teardown
    usize live_count_[5]{};
    usize extra_pages_{0}; // HIP and UTCB pages
    usize orphaned_flows_{0};
    // Room for as many CPUs as a HIP describes, of which the constructor makes the configured
    // ones: clearing 64 run queues was 40 % of booting a machine with its reference model (the
    // fuzzer boots one per program).
    alignas(Cpu_state) unsigned char cpu_room_[Hip::max_cpus * sizeof(Cpu_state)];
    Cpu_state* cpus_;
};

} // namespace nova
