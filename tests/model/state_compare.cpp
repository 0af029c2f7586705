#include "state_compare.hpp"

#include "operation.hpp"

#include <algorithm>
#include <map>
#include <sstream>

namespace novamodel {

static_assert(attr::dma == nova::node_attr::dma && attr::guest == nova::node_attr::guest &&
                  attr::kernel == nova::node_attr::kernel && attr::host == nova::node_attr::host,
              "model and kernel name the attribute bits alike");

namespace {

constexpr Object_id unknown_id = ~Object_id{0}; // a kernel object the model has no name for
constexpr std::size_t max_lines = 40;
constexpr Object_type all_object_types[] = {Object_type::pd, Object_type::ec, Object_type::sc,
                                            Object_type::pt, Object_type::sm};

// One mapping in the form both sides can produce.
struct Row {
    unsigned order{};
    u8 perms{};
    u8 attr{};
    mword resource{};
    std::optional<Mapping_ref> parent;
    bool operator==(Row const&) const = default;
};

std::string attr_names(u8 bits)
{
    static constexpr std::pair<u8, char const*> names[] = {
        {attr::host, "host"}, {attr::dma, "dma"}, {attr::guest, "guest"}, {attr::kernel, "kernel"}};
    std::string text;
    for (auto const& [bit, name] : names) {
        if ((bits & bit) != 0) text += (text.empty() ? "" : "|") + std::string{name};
    }
    return text.empty() ? "none" : text;
}

class Comparison {
  public:
    Comparison(nova::Kernel& kernel, Capability_model const& model, Object_binding& binding,
               Agreement& agreement)
        : kernel_{kernel}, model_{model}, binding_{binding}, agreement_{agreement}
    {
    }

    std::string run()
    {
        complete_ = !agreement_.objects.has_value();
        bool objects_changed = agreement_.objects != model_.objects_version();
        if (agreement_.deaths != model_.deaths()) forget_dead_objects();
        if (!counts_agree(objects_changed)) return disagreed();
        if (objects_changed) bind_new_objects();
        if (!mappings_agree()) {
            for (Object_id pd : model_.live_pds()) compare_pd(pd);
            if (lines_ == 0) {
                report("mapping nodes: kernel " + std::to_string(kernel_.live_nodes()) +
                       ", model " + std::to_string(model_mappings()));
            }
            return disagreed();
        }
        if (objects_changed || object_space_changed_) compare_objects();
        if (lines_ != 0) return disagreed();
        agreement_.objects = model_.objects_version();
        agreement_.deaths = model_.deaths();
        agreement_.live = live_;
        return {};
    }

  private:
    std::string disagreed()
    {
        agreement_.forget();
        return out_;
    }

    void report(std::string const& line)
    {
        if (++lines_ <= max_lines) out_ += line + '\n';
        if (lines_ == max_lines + 1) out_ += "... (more differences)\n";
    }

    // Bound and live objects side by side, both in ascending order of id.
    void forget_dead_objects()
    {
        std::vector<Object_id> dead;
        auto live = model_.objects().begin();
        for (Object_id id = 0; id < binding_.id_limit(); ++id) {
            if (binding_.kernel_object(id) == nullptr) continue;
            while (live != model_.objects().end() && live->first < id) ++live;
            if (live == model_.objects().end() || live->first != id) dead.push_back(id);
        }
        for (Object_id id : dead) binding_.forget(id);
    }

    // Unchanged model objects and unchanged kernel counts agree as they did.
    bool counts_agree(bool objects_changed)
    {
        live_ = kernel_live_counts();
        if (!objects_changed && live_ == agreement_.live) return true;
        for (Object_type type : all_object_types) {
            std::size_t k = live_[static_cast<unsigned>(type)], m = model_.live_objects(type);
            if (k != m) {
                report("live " + describe(type) + " objects: kernel " + std::to_string(k) +
                       ", model " + std::to_string(m));
            }
        }
        return lines_ == 0;
    }

    std::array<std::size_t, 5> kernel_live_counts() const
    {
        std::array<std::size_t, 5> live{};
        for (Object_type type : all_object_types) {
            // A killed EC whose flow has not unwound yet is gone for the model already.
            live[static_cast<unsigned>(type)] =
                kernel_.live_objects(type) -
                (type == Object_type::ec ? kernel_.orphaned_flows() : 0);
        }
        return live;
    }

    // The quick answer: each model mapping is a kernel node with the same fields, and there are
    // no other nodes (the kernel's checker has counted each node in exactly one space). Only
    // when this fails is each space walked side by side for a readable diff.
    // Spaces that agreed before and changed on neither side since are not walked again.
    bool mappings_agree()
    {
        // The agreement's keys in their order: both walks go up together, nothing is searched.
        static constexpr Space_type in_key_order[] = {Space_type::mem, Space_type::pio,
                                                      Space_type::obj};
        std::size_t mappings = 0;
        // Room for a few PDs more than live now, so that new ones seldom move the table.
        agreement_.spaces.reserve(std::size(all_space_types) * (model_.pd_spaces().size() + 2));
        auto seen = agreement_.spaces.begin();
        for (auto const& [pd, spaces] : model_.pd_spaces()) {
            nova::Pd* kpd = kernel_pd(pd);
            if (kpd == nullptr) return false;
            for (Space_type type : in_key_order) {
                Space const& mine = spaces.of(type);
                mappings += mine.mappings().size();
                std::pair key{pd, type};
                while (seen != agreement_.spaces.end() && seen->first < key) ++seen;
                if (seen == agreement_.spaces.end() || seen->first != key) {
                    seen = agreement_.spaces.emplace_hint(seen, key, Agreement::Versions{});
                }
                if (!space_still_agrees(seen->second, type, mine, kpd->space(type))) return false;
                ++seen;
            }
        }
        return mappings == kernel_.live_nodes();
    }

    // The versions of an agreement are kept at once: a disagreement anywhere later in this
    // comparison forgets them all. A space never seen, or one of a PD the kernel made anew,
    // is walked whole.
    bool space_still_agrees(Agreement::Versions& then, Space_type type, Space const& mine,
                            nova::Space const& theirs)
    {
        Agreement::Versions now{&theirs, theirs.radix.version(), mine.version()};
        if (then == now) return true;
        bool known = then.kernel_space == &theirs;
        if (!(known ? changes_agree(mine, theirs, then) : space_agrees(mine, theirs))) return false;
        then = now;
        object_space_changed_ |= type == Space_type::obj;
        return true;
    }

    bool space_agrees(Space const& mine, nova::Space const& theirs) const
    {
        for (auto const& [base, m] : mine.mappings()) {
            nova::Mdb_node const* k = theirs.radix.lookup(base);
            if (k == nullptr || k->base() != base || !same_row(*k, m)) {
                return false;
            }
        }
        return true;
    }

    // Since they last agreed, only what either side logged as changed can differ (other changes
    // show in the number of nodes, or in the whole comparison at the end of a program).
    bool changes_agree(Space const& mine, nova::Space const& theirs,
                       Agreement::Versions const& then) const
    {
        nova::Radix const& radix = theirs.radix;
        if (!radix.changes_logged_since(then.kernel) || !mine.changes_logged_since(then.model)) {
            return space_agrees(mine, theirs);
        }
        for (std::uint64_t v = then.kernel; v != radix.version(); ++v) {
            if (!key_agrees(mine, theirs, radix.change_after(v).key)) return false;
        }
        for (std::uint64_t v = then.model; v != mine.version(); ++v) {
            if (!key_agrees(mine, theirs, mine.key_changed_after(v))) return false;
        }
        return true;
    }

    // The same mapping, or none, holds `key` on both sides.
    bool key_agrees(Space const& mine, nova::Space const& theirs, mword key) const
    {
        Mapping const* m = mine.find(key);
        nova::Mdb_node const* k = theirs.radix.lookup(key);
        if (m == nullptr || k == nullptr) return m == nullptr && k == nullptr;
        return k->base() == m->base && same_row(*k, *m);
    }

    std::size_t model_mappings() const
    {
        std::size_t count = 0;
        for (Object_id pd : model_.live_pds()) {
            for (Space_type type : all_space_types)
                count += model_.space(pd, type).mappings().size();
        }
        return count;
    }

    nova::Pd* kernel_pd(Object_id pd) const
    {
        return nova::object_cast<nova::Pd>(binding_.kernel_object(pd));
    }

    // A new object is first seen through a capability: the kernel object behind the same
    // selector of the same PD is the same object. Dead objects are forgotten already, so the
    // bound objects are live ones. A new object's capability is among the last changes of an
    // object space, so the keys logged since the last agreement are looked at first; only
    // when they do not bind every new object are all object spaces walked.
    void bind_new_objects()
    {
        std::size_t lacking = model_.objects().size() - binding_.bound_count();
        for (auto const& [pd, spaces] : model_.pd_spaces()) {
            if (lacking == 0) return;
            if (nova::Pd* kpd = kernel_pd(pd)) lacking -= bind_at_logged_keys(pd, spaces.obj, *kpd);
        }
        for (auto const& [pd, spaces] : model_.pd_spaces()) {
            nova::Pd* kpd = kernel_pd(pd);
            if (kpd == nullptr) continue;
            for (auto const& [sel, m] : spaces.obj.mappings()) {
                if (lacking == 0) return;
                lacking -= bind_at(*kpd, m);
            }
        }
    }

    std::size_t bind_at_logged_keys(Object_id pd, Space const& mine, nova::Pd& kpd)
    {
        auto then = agreement_.spaces.find({pd, Space_type::obj});
        if (then == agreement_.spaces.end() || !mine.changes_logged_since(then->second.model)) {
            return 0;
        }
        std::size_t bound = 0;
        for (std::uint64_t v = then->second.model; v != mine.version(); ++v) {
            if (Mapping const* m = mine.find(mine.key_changed_after(v))) bound += bind_at(kpd, *m);
        }
        return bound;
    }

    // 1 when `m` names an object not bound yet and the kernel's node at its key binds it.
    std::size_t bind_at(nova::Pd& kpd, Mapping const& m)
    {
        auto object = static_cast<Object_id>(m.resource);
        if (binding_.kernel_object(object) != nullptr) return 0;
        nova::Mdb_node const* node = kpd.obj.radix.lookup(m.base);
        return node != nullptr && binding_.bind(object, as_object(node->resource())) ? 1 : 0;
    }

    static nova::Kobject* as_object(mword resource)
    {
        return reinterpret_cast<nova::Kobject*>(resource);
    }

    void compare_pd(Object_id pd)
    {
        nova::Pd* kpd = kernel_pd(pd);
        if (kpd == nullptr) {
            report("pd" + std::to_string(pd) + ": no kernel PD corresponds");
            return;
        }
        for (Space_type type : all_space_types) compare_space(pd, kpd->space(type), type);
    }

    // Both sides in ascending order of base, side by side.
    void compare_space(Object_id pd, nova::Space& kspace, Space_type type)
    {
        auto const& mine = model_.space(pd, type).mappings();
        auto m = mine.begin();
        mword limit = kspace.radix.key_limit();
        nova::Mdb_node const* k = kspace.radix.first_in(0, limit);
        while (m != mine.end() || k != nullptr) {
            if (k != nullptr && (m == mine.end() || k->base() < m->first)) {
                report(place(pd, type, k->base()) + "only in kernel " + text(kernel_row(*k), type));
                k = kspace.radix.first_in(k->end(), limit);
            } else if (k == nullptr || m->first < k->base()) {
                report(place(pd, type, m->first) + "only in model " +
                       text(model_row(m->second), type));
                ++m;
            } else {
                Row kr = kernel_row(*k), mr = model_row(m->second);
                if (!(kr == mr)) {
                    report(place(pd, type, m->first) + "kernel " + text(kr, type) + " | model " +
                           text(mr, type));
                }
                k = kspace.radix.first_in(k->end(), limit);
                ++m;
            }
        }
    }

    static std::string place(Object_id pd, Space_type type, mword base)
    {
        return "pd" + std::to_string(pd) + " " + describe(type) + " " + hex(base) + ": ";
    }

    static Row model_row(Mapping const& m)
    {
        return Row{m.order, m.perms, m.attr, m.kernel_owned() ? 0 : m.resource, m.parent};
    }

    Row kernel_row(nova::Mdb_node const& n) const
    {
        Row row{n.order(), n.perms(), n.attr(), n.resource(), std::nullopt};
        if ((n.attr() & nova::node_attr::kernel) != 0) row.resource = 0;
        if (n.space->type == Space_type::obj) {
            row.resource = binding_.model_id(as_object(n.resource())).value_or(unknown_id);
        }
        if (n.parent != nullptr) {
            Object_id parent_pd = binding_.model_id(n.parent->space->pd).value_or(unknown_id);
            row.parent = Mapping_ref{parent_pd, n.parent->space->type, n.parent->base()};
        }
        return row;
    }

    // kernel_row(k) == model_row(m), without naming the kernel's objects by model id: the
    // binding is one to one, so asking which kernel object the model's id is bound to answers
    // the same, by index instead of by search (this runs for every mapping of a whole walk).
    bool same_row(nova::Mdb_node const& k, Mapping const& m) const
    {
        if (k.order() != m.order || k.perms() != m.perms || k.attr() != m.attr) return false;
        Row mine = model_row(m);
        if (k.space->type == Space_type::obj) {
            if (!bound_to(mine.resource, as_object(k.resource()))) return false;
        } else if (((k.attr() & nova::node_attr::kernel) != 0 ? 0 : k.resource()) !=
                   mine.resource) {
            return false;
        }
        if (k.parent == nullptr || !mine.parent) return k.parent == nullptr && !mine.parent;
        return mine.parent->type == k.parent->space->type &&
               mine.parent->base == k.parent->base() &&
               bound_to(mine.parent->pd, k.parent->space->pd);
    }

    // Whether model id `id` names the kernel object `object` (kernel_row's model_id(object)).
    bool bound_to(mword id, nova::Kobject const* object) const
    {
        return object != nullptr && id == static_cast<Object_id>(id) &&
               binding_.kernel_object(static_cast<Object_id>(id)) == object;
    }

    std::string object_name(mword id) const
    {
        auto object = static_cast<Object_id>(id);
        if (object == unknown_id) return "<kernel object unknown to the model>";
        auto found = model_.objects().find(object);
        std::string type = found == model_.objects().end() ? "dead" : describe(found->second.type);
        return "#" + std::to_string(object) + " " + type;
    }

    std::string text(Row const& row, Space_type type) const
    {
        std::ostringstream out;
        out << "{order " << row.order << " perms " << hex(row.perms) << " attr "
            << attr_names(row.attr) << " resource "
            << (type == Space_type::obj ? object_name(row.resource) : hex(row.resource));
        if (row.parent) {
            out << " parent pd" << row.parent->pd << " " << describe(row.parent->type) << " "
                << hex(row.parent->base);
        }
        out << "}";
        return out.str();
    }

    // After binding, the bound objects are the live ones: each is asked for by its id. A
    // comparison of everything (at boot, at the end of a fuzzer's program) takes the recount,
    // the rule itself, so that the counts the model keeps as it goes, which every other
    // comparison takes, are held to it in every run, not only in tests and debug builds.
    void compare_objects()
    {
        std::vector<unsigned> recount;
        if (complete_) recount = model_.reference_counts();
        std::vector<unsigned> const& counts = complete_ ? recount : model_.kept_reference_counts();
        Execution_references running = execution_references(binding_);
        for (auto const& [id, object] : model_.objects()) {
            nova::Kobject const* k = binding_.kernel_object(id);
            if (k == nullptr) {
                report("object " + object_name(id) + ": no kernel object corresponds");
                continue;
            }
            if (k->type() != object.type) {
                report("object " + object_name(id) + ": the kernel's is a " + describe(k->type()));
                continue;
            }
            unsigned kernel_count = k->refcount() - running[id];
            if (kernel_count != counts[id]) {
                report("object " + object_name(id) + ": references kernel " +
                       std::to_string(kernel_count) + ", model " + std::to_string(counts[id]));
            }
        }
    }

    nova::Kernel& kernel_;
    Capability_model const& model_;
    Object_binding& binding_;
    Agreement& agreement_;
    bool complete_{false}; // nothing agreed before: everything is compared
    bool object_space_changed_{false};
    std::array<std::size_t, 5> live_{};
    std::string out_; // a string stream costs more to make than most comparisons take
    std::size_t lines_{0};
};

} // namespace

Execution_references execution_references(Object_binding const& binding, bool flows)
{
    Execution_references refs(binding.id_limit(), 0);
    auto hold = [&binding, &refs](nova::Kobject const* object) {
        if (auto id = binding.model_id(object)) ++refs[*id];
    };
    for (auto const& [id, ec] : binding.bound_ecs()) {
        if (flows && ec->flow_running) ++refs[id];
        if (ec->partner != nullptr) hold(ec->partner);
        if (ec->waiting_on != nullptr) hold(ec->waiting_on);
    }
    return refs;
}

std::string compare_state(nova::Kernel& kernel, Capability_model const& model,
                          Object_binding& binding, Agreement& agreement)
{
    return Comparison{kernel, model, binding, agreement}.run();
}

} // namespace novamodel
