// Boot state and object lifetime of the reference model.
#include "capability_model.hpp"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace novamodel {

namespace {

constexpr unsigned mem_key_bits = 36; // page numbers of a 48-bit address space
constexpr unsigned pio_key_bits = 16;
constexpr unsigned max_boot_block_order = 30;

} // namespace

bool agrees(Outcome const& kernel, Outcome const& model)
{
    if (!model.scheduler_decides) return kernel == model;
    return kernel.status != Status::bad_cap && kernel.status != Status::bad_hyp;
}

Capability_model::Capability_model(Model_config const& config) : config_{config}
{
    boot_kernel_pd();
    boot_root();
}

Object_id Capability_model::make_object(Object const& object)
{
    Object_id id = next_id_++;
    objects_.emplace(id, object);
    references_.push_back(0);
    if (object.holds) ++references_.at(*object.holds);
    ++objects_version_;
    ++live_[static_cast<unsigned>(object.type)];
    if (object.type == Object_type::pd) {
        spaces_.emplace(
            id, Pd_spaces{Space{config_.sel_bits}, Space{mem_key_bits}, Space{pio_key_bits}});
    }
    return id;
}

void Capability_model::install(Object_id pd, mword sel, Object_id object, u8 perms)
{
    Space& obj = space(pd, Space_type::obj);
    insert_mapping(pd, Space_type::obj, Mapping{obj.wrap(sel), 0, perms, 0, object, std::nullopt});
}

void Capability_model::insert_mapping(Object_id pd, Space_type type, Mapping const& mapping)
{
    space(pd, type).insert(mapping);
    count_reference(type, mapping, +1);
}

void Capability_model::erase_mapping(Mapping_ref const& ref)
{
    count_reference(ref.type, mapping(ref), -1);
    space(ref.pd, ref.type).erase(ref.base);
}

void Capability_model::count_reference(Space_type type, Mapping const& mapping, int change)
{
    if (type != Space_type::obj) return;
    unsigned& count = references_.at(mapping.resource);
    if (change < 0 && count == 0) throw std::logic_error("model: a reference count went negative");
    count += static_cast<unsigned>(change);
}

// The kernel's own pages (HIP, UTCBs): visible in the PD but outside the mapping database.
void Capability_model::map_kernel_page(Object_id pd, mword page, u8 perms)
{
    space(pd, Space_type::mem).insert(Mapping{page, 0, perms, attr::kernel | attr::host, 0, {}});
}

// The kernel PD holds what the root may take with H: all user RAM, all ports, the idle SCs and
// the interrupt semaphores ([C14] §6.1.1).
void Capability_model::boot_kernel_pd()
{
    kernel_pd_ = make_object(Object::plain(Object_type::pd));
    ++references_.at(kernel_pd_); // the kernel's own
    add_memory_blocks(space(kernel_pd_, Space_type::mem));
    space(kernel_pd_, Space_type::pio)
        .insert(Mapping{0, pio_key_bits, nova::perm::pio_a, 0, 0, {}});
    for (unsigned cpu = 0; cpu < config_.cpus; ++cpu) {
        install(kernel_pd_, cpu, make_object(Object::plain(Object_type::sc)),
                nova::initial_perm::sc);
    }
    for (mword gsi = 0; gsi < config_.gsis; ++gsi) {
        u8 perms = nova::perm::sm_up | nova::perm::sm_dn;
        install(kernel_pd_, gsi_base + gsi, make_object(Object::plain(Object_type::sm)), perms);
    }
}

// RAM as maximal naturally aligned power-of-two blocks.
void Capability_model::add_memory_blocks(Space& mem)
{
    u8 rwx = nova::perm::mem_r | nova::perm::mem_w | nova::perm::mem_x;
    for (mword frame = 0; frame < config_.user_frames;) {
        unsigned order = 0;
        while (order < max_boot_block_order && frame % (mword{2} << order) == 0 &&
               frame + (mword{2} << order) <= config_.user_frames) {
            ++order;
        }
        mem.insert(Mapping{frame, order, rwx, attr::host, frame, {}});
        frame += mword{1} << order;
    }
}

void Capability_model::boot_root()
{
    root_pd_ = make_object(Object::plain(Object_type::pd));
    install(root_pd_, sel_exc + 0, root_pd_, nova::perm::all);
    mword utcb_page = nova::root_utcb_addr >> nova::page_bits;
    map_kernel_page(root_pd_, nova::hip_addr >> nova::page_bits, nova::perm::mem_r);
    map_kernel_page(root_pd_, utcb_page, nova::perm::mem_r | nova::perm::mem_w);
    root_ec_ = make_object(Object::ec(root_pd_, true, utcb_page));
    install(root_pd_, sel_exc + 1, root_ec_, nova::initial_perm::ec);
    root_sc_ = make_object(Object::holding(Object_type::sc, root_ec_));
    install(root_pd_, sel_exc + 2, root_sc_, nova::initial_perm::sc);
}

std::vector<Object_id> Capability_model::live_pds() const
{
    std::vector<Object_id> pds;
    for (auto const& [id, spaces] : spaces_) pds.push_back(id);
    return pds;
}

Mapping const& Capability_model::mapping(Mapping_ref const& ref) const
{
    auto const& all = space(ref.pd, ref.type).mappings();
    auto found = all.find(ref.base);
    if (found == all.end()) throw std::logic_error("model: a mapping names a missing parent");
    return found->second;
}

Mapping& Capability_model::mapping(Mapping_ref const& ref)
{
    return const_cast<Mapping&>(static_cast<Capability_model const&>(*this).mapping(ref));
}

// References: one per object capability, one per internal reference, and the kernel's on its PD.
std::vector<unsigned> Capability_model::reference_counts() const
{
    std::vector<unsigned> counts(next_id_, 0);
    for (auto const& [id, object] : objects_) {
        if (object.holds) ++counts.at(*object.holds);
    }
    for (auto const& [pd, spaces] : spaces_) {
        for (auto const& [base, m] : spaces.obj.mappings()) ++counts.at(m.resource);
    }
    ++counts.at(kernel_pd_);
    return counts;
}

std::size_t Capability_model::live_objects(Object_type type) const
{
    return live_[static_cast<unsigned>(type)];
}

// Destroys objects without references until none is left; each destruction may release more.
void Capability_model::collect_garbage()
{
    for (;;) {
        assert(references_ == reference_counts());
        auto unreferenced =
            std::find_if(objects_.begin(), objects_.end(),
                         [this](auto const& entry) { return references_[entry.first] == 0; });
        if (unreferenced == objects_.end()) return;
        destroy(unreferenced->first);
    }
}

void Capability_model::destroy(Object_id id)
{
    Object object = objects_.at(id);
    if (object.type == Object_type::pd) {
        for (Space_type type : all_space_types) clear_space(id, type);
        spaces_.erase(id);
    }
    if (object.type == Object_type::ec && object.utcb_page) {
        Space& mem = space(*object.holds, Space_type::mem);
        if (mem.find(*object.utcb_page) == nullptr) throw std::logic_error("model: lost a UTCB");
        mem.erase(*object.utcb_page);
    }
    if (object.holds) --references_.at(*object.holds);
    objects_.erase(id);
    ++objects_version_;
    ++deaths_;
    --live_[static_cast<unsigned>(object.type)];
}

// A dying PD loses everything, and so does everything derived from it, in any PD.
void Capability_model::clear_space(Object_id pd, Space_type type)
{
    while (!space(pd, type).mappings().empty()) {
        Mapping const& first = space(pd, type).mappings().begin()->second;
        if (first.kernel_owned()) {
            space(pd, type).erase(first.base);
        } else {
            remove_subtree(Mapping_ref{pd, type, first.base});
        }
    }
}

} // namespace novamodel
