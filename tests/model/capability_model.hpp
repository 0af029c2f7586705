// A reference model of NOVA's capability spaces, rights and derivation ([C14] §3, as
// kernel_core implements it): plain standard C++, sorted tables and recursion, written to be
// obviously right rather than fast. The differential test and the hypercall fuzzer run it beside
// the kernel and compare every space of every PD after every operation (see README.md).
//
// Scope: the object, memory and port spaces of every PD, the mapping database (who derives from
// whom), object lifetime by reference counting, the operations create_pd/ec/sc/pt/sm, revoke and
// lookup (as hypercalls of an EC in any PD), delegate and translate (the kernel's engine calls
// that IPC typed items and create_pd use), and the capability check of every other hypercall.
// Out of scope: scheduling (who runs, blocks or times out), execution references, out-of-memory.
#pragma once

#include "flat_map.hpp"
#include "model_space.hpp"

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <vector>

namespace novamodel {

struct Model_config {
    unsigned cpus{4};
    unsigned sel_bits{26};
    bool vmx{false};
    mword user_frames{0}; // RAM frames [0, user_frames) below the kernel's region
    unsigned gsis{128};   // interrupt semaphores
    bool operator==(Model_config const&) const = default;
};

// The registers of one hypercall frame that the modelled hypercalls read.
struct Hypercall_args {
    nova::Hypercall call{};
    u8 flags{};  // RDI bits 7:4
    mword sel{}; // RDI bits 63:8
    mword rsi{}, rdx{}, rax{}, r8{};
};

// A delegate typed item plus the sender's CRD (kernel: nova::Delegation).
struct Delegate_item {
    Crd send{};
    Crd window{};
    mword hotspot{0};
    bool dma{false};
    bool guest{false};
    bool from_kernel{false}; // H: honoured for the root PD only
};

// What an operation hands back: a status and, for lookup/delegate/translate, a CRD. A hypercall
// whose status depends on scheduling (a call or a semaphore down that passed its capability
// check: it may block, time out, help or be aborted) has `scheduler_decides` set: the model
// then only says that the status is neither BAD_CAP nor BAD_HYP.
struct Outcome {
    Status status{Status::success};
    Crd crd{};
    bool scheduler_decides{false};
    bool operator==(Outcome const&) const = default;
};

// create_pd, _ec, _sc, _pt, _sm and revoke: the hypercalls that may change capabilities.
inline bool changes_capabilities(nova::Hypercall call)
{
    return call >= nova::Hypercall::create_pd && call <= nova::Hypercall::revoke;
}

// Whether the kernel's outcome is one the model allows.
bool agrees(Outcome const& kernel, Outcome const& model);

struct Object {
    Object_type type{};
    // The object's internal reference: an EC holds its PD, an SC or PT holds its EC.
    std::optional<Object_id> holds;
    bool global{false};             // EC: created with flag G
    std::optional<mword> utcb_page; // EC: where its UTCB is mapped in its PD; none for a vCPU

    static Object plain(Object_type type)
    {
        return Object{type, std::nullopt, false, std::nullopt};
    }
    static Object holding(Object_type type, Object_id held)
    {
        return Object{type, held, false, std::nullopt};
    }
    static Object ec(Object_id pd, bool global, std::optional<mword> utcb_page)
    {
        return Object{Object_type::ec, pd, global, utcb_page};
    }
};

class Capability_model {
  public:
    static constexpr mword sel_exc = 32;  // root PD, EC, SC at EXC+0..2 ([C14] §6.1.1)
    static constexpr mword gsi_base = 64; // interrupt semaphores after the (max) idle SCs

    explicit Capability_model(Model_config const& config);

    // A hypercall of an EC in PD `caller` (the root EC's: root_pd()). Every hypercall number
    // has an outcome: the capability hypercalls in full, the others by their capability check.
    Outcome hypercall(Object_id caller, Hypercall_args const& args);
    // The same for a hypercall that changes no capability (not create_* or revoke, which
    // throw std::logic_error here): a caller that only asks need not copy the model.
    Outcome reading_hypercall(Object_id caller, Hypercall_args const& args) const;
    Crd delegate(Object_id src_pd, Object_id dst_pd, Delegate_item const& item);
    void revoke(Object_id pd, Crd crd, bool self);
    Crd lookup(Object_id pd, Crd crd) const;
    Crd translate(Object_id src_pd, Object_id dst_pd, Crd crd, Crd window) const;

    Model_config const& config() const { return config_; }
    Object_id kernel_pd() const { return kernel_pd_; }
    Object_id root_pd() const { return root_pd_; }
    Object_id root_ec() const { return root_ec_; }
    Object_id root_sc() const { return root_sc_; }

    Flat_map<Object_id, Object> const& objects() const { return objects_; }
    // Grows with every object made or destroyed (see Space::version).
    std::uint64_t objects_version() const { return objects_version_; }
    // How many objects died so far.
    std::uint64_t deaths() const { return deaths_; }
    bool alive(Object_id id) const { return objects_.count(id) != 0; }
    bool is_pd(Object_id id) const { return spaces_.count(id) != 0; }
    std::vector<Object_id> live_pds() const; // ascending; the kernel's own PD included
    // The spaces of every live PD by id, for walks after every operation (no list to make).
    std::map<Object_id, Pd_spaces> const& pd_spaces() const { return spaces_; }
    Space const& space(Object_id pd, Space_type type) const { return spaces_.at(pd).of(type); }
    Mapping const& mapping(Mapping_ref const& ref) const;
    // References per object id (0 for dead ones): object capabilities, internal references,
    // and the kernel's own on its PD. A recount of everything: the rule itself.
    std::vector<unsigned> reference_counts() const;
    // The same counts kept as capabilities and objects come and go, so that the comparison after
    // every hypercall and the garbage collection after every revoke need not recount. Tests
    // check that they equal reference_counts().
    std::vector<unsigned> const& kept_reference_counts() const { return references_; }
    std::size_t live_objects(Object_type type) const;

  private:
    // Boot (capability_model.cpp).
    void boot_kernel_pd();
    void add_memory_blocks(Space& mem);
    void boot_root();
    Object_id make_object(Object const& object);
    void install(Object_id pd, mword sel, Object_id object, u8 perms);
    void map_kernel_page(Object_id pd, mword page, u8 perms);
    Space& space(Object_id pd, Space_type type) { return spaces_.at(pd).of(type); }
    Mapping& mapping(Mapping_ref const& ref);
    // Every object capability is inserted and erased here, which keeps references_.
    void insert_mapping(Object_id pd, Space_type type, Mapping const& mapping);
    void erase_mapping(Mapping_ref const& ref);
    void count_reference(Space_type type, Mapping const& mapping, int change);

    // Object lifetime (capability_model.cpp).
    void collect_garbage();
    void destroy(Object_id id);
    void clear_space(Object_id pd, Space_type type);

    // Hypercalls (model_hypercalls.cpp).
    struct Cap {
        Object_id object;
        u8 perms;
    };
    std::optional<Cap> cap(Object_id pd, mword sel, Object_type type, u8 needed) const;
    bool selector_taken(Object_id pd, mword sel) const;
    Outcome create_pd(Object_id caller, Hypercall_args const& args);
    Outcome create_ec(Object_id caller, Hypercall_args const& args);
    Outcome create_sc(Object_id caller, Hypercall_args const& args);
    Outcome create_pt(Object_id caller, Hypercall_args const& args);
    Outcome create_sm(Object_id caller, Hypercall_args const& args);
    Outcome control(Object_id caller, Hypercall_args const& args) const;

    // The mapping database (model_mapping_ops.cpp, model_revoke.cpp).
    std::vector<Mapping_ref> children(Mapping_ref const& ref) const;
    void strip_subtree(Mapping_ref const& ref, u8 perms);
    void revoke_mapping(Mapping_ref const& ref, u8 perms, bool self, mword base, unsigned order);
    void remove_subtree(Mapping_ref const& ref);
    void drop_rightless_mappings();

    Model_config config_;
    Flat_map<Object_id, Object> objects_; // every live object
    std::uint64_t objects_version_{0};
    std::uint64_t deaths_{0};
    std::array<std::size_t, 5> live_{};     // per object type
    std::map<Object_id, Pd_spaces> spaces_; // the spaces of every live PD
    std::vector<unsigned> references_;      // by object id (see kept_reference_counts)
    Object_id next_id_{0};
    Object_id kernel_pd_{}, root_pd_{}, root_ec_{}, root_sc_{};
};

} // namespace novamodel
