// The invariant checker (design.md §2). It counts every reference and compares with what the
// objects believe, and checks each mapping node against its parent. Tests and the fuzzer call
// it after every hypercall; it reports the first broken invariant.
//
// References are counted two ways at once. Exactly, per object (everything): the count each
// object's refcount must equal. And as weighted sums: every reference adds its target's weight,
// a hash of the object's address, and every live object adds refcount times its weight. The two
// sums agree when each object's refcount matches its references, and they differ for any
// miscount (all weights are odd, so one object off by d < 2^63 shows). A space's share of the
// sum stays the same while its radix version does, which lets a check of the changes skip it;
// after a few changes that the radix logged, the check of the changes looks at their nodes only
// and moves the space's share by what they entered and removed.
#include "nova/kernel.hpp"

namespace nova {

enum class Check_scope : u8 { everything, changes };

class Checker {
  public:
    Checker(Kernel& kernel, Check_scope scope)
        : k_{kernel}, exact_{scope == Check_scope::everything}
    {
    }

    Check_result run()
    {
        if (exact_) {
            count_exactly();
        } else {
            for_each_as_its_type([this](auto& object) { // the sums need no order: one pass
                count_references_of(object);
                check_object(object);
            });
        }
        if (result_.ok() && nodes_seen_ != k_.node_cache_.objects_in_use()) {
            fail("every mapping node is in exactly one space", nullptr, nodes_seen_);
        }
        check_run_queues();
        if (result_.ok() && referenced_ != held_) return references_disagree();
        return result_;
    }

  private:
    // Each object's exact count is complete before any object is checked against it.
    void count_exactly()
    {
        for_each_object([](Kobject* o) { o->counted_refs_ = 0; });
        for_each_as_its_type([this](auto& object) { count_references_of(object); });
        for_each_as_its_type([this](auto& object) { check_object(object); });
    }

    template <typename Visit> void for_each_as_its_type(Visit const& visit)
    {
        for_each_object([&visit](Kobject* o) { as_its_type(o, visit); });
    }

    // One type dispatch per object and pass; an object of no known type holds no references
    // and has no checks but its refcount. Neither has a semaphore, and most objects of a
    // fuzzed program are semaphores: one test ahead of the jump table sends them there.
    template <typename Visit> static void as_its_type(Kobject* o, Visit const& visit)
    {
        if (o->type() == Object_type::sm) return visit(*o);
        switch (o->type()) {
        case Object_type::pd:
            return visit(*static_cast<Pd*>(o));
        case Object_type::ec:
            return visit(*static_cast<Ec*>(o));
        case Object_type::sc:
            return visit(*static_cast<Sc*>(o));
        case Object_type::pt:
            return visit(*static_cast<Pt*>(o));
        case Object_type::sm:
            break;
        }
        visit(*o);
    }

    template <typename F> void for_each_object(F f)
    {
        Kobject* first = k_.live_;
        if (first == nullptr) return;
        Kobject* o = first;
        do {
            Kobject* next = o->live_next_;
            f(o);
            o = next;
        } while (o != first);
    }

    void fail(char const* invariant, void const* where, mword detail = 0)
    {
        if (result_.ok()) result_ = Check_result{invariant, where, detail};
    }

    // Odd, and spread over all 64 bits (the splitmix64 finaliser of the address).
    static u64 weight(Kobject const* o)
    {
        u64 z = reinterpret_cast<mword>(o) + 0x9e37'79b9'7f4a'7c15;
        z = (z ^ (z >> 30)) * 0xbf58'476d'1ce4'e5b9;
        z = (z ^ (z >> 27)) * 0x94d0'49bb'1331'11eb;
        return (z ^ (z >> 31)) | 1;
    }

    void count(Kobject* o)
    {
        if (o == nullptr) return;
        referenced_ += weight(o);
        if (exact_) ++o->counted_refs_;
    }

    // The sums differ but every exact count matched: a reference names no live object. A check
    // of the changes counts no exact numbers; the exact check names what is wrong.
    Check_result references_disagree()
    {
        if (!exact_) return Checker{k_, Check_scope::everything}.run();
        fail("every reference names a live object", nullptr, referenced_ - held_);
        return result_;
    }

    // The references an object holds; a PD's are the nodes of its object space, counted as
    // its spaces are checked.
    void count_references_of(Pd& pd)
    {
        if (&pd == k_.kernel_pd_) count(&pd); // the kernel's own reference
        check_pd(pd);
    }

    void count_references_of(Ec& ec)
    {
        if (!ec.orphaned) count(ec.pd);  // an orphan let go of its PD already
        if (ec.flow_running) count(&ec); // the flow's own reference
        count(ec.partner);               // a call holds its callee
        count(ec.waiting_on);            // a blocked EC holds its semaphore
    }

    void count_references_of(Sc& sc) { count(sc.ec); }
    void count_references_of(Pt& pt) { count(pt.ec); }
    void count_references_of(Kobject&) {} // a semaphore holds none

    void check_pd(Pd& pd)
    {
        check_space(pd.obj);
        check_space(pd.mem);
        check_space(pd.pio);
    }

    // Most spaces did not change since the last look. Kept out of line, the work a changed
    // space takes leaves that test small enough to inline into the pass over the objects
    // (0.7 M instructions in 200 fuzzed programs).
    void check_space(Space& space)
    {
        if (!took_last_figures(space)) recheck_space(space);
    }

    bool took_last_figures(Space const& space)
    {
        Space::Checked const& memo = space.checked;
        if (exact_ || memo.version != space.radix.version()) return false;
        nodes_seen_ += memo.nodes;
        referenced_ += memo.references;
        return true;
    }

    [[gnu::noinline]] void recheck_space(Space& space)
    {
        Space::Checked& memo = space.checked;
        if (!exact_ && space.radix.changes_logged_since(memo.version)) check_logged(space);
        if (took_last_figures(space)) return;
        usize nodes_before = nodes_seen_;
        u64 referenced_before = referenced_;
        walk_space(space);
        if (result_.ok()) {
            memo = {space.radix.version(), nodes_seen_ - nodes_before,
                    referenced_ - referenced_before};
        }
    }

    // A few changes since the last look: the nodes at their keys are checked, and the figures
    // of the last walk move by what each change entered or removed (the sums wrap alike).
    void check_logged(Space& space)
    {
        Space::Checked next = space.checked;
        for (u64 at = next.version; at != space.radix.version(); ++at) {
            Radix::Change const& change = space.radix.change_after(at);
            next.nodes += static_cast<usize>(change.nodes);
            if (space.type == Crd::Type::obj && change.resource != 0) { // as count() skips
                next.references += static_cast<u64>(change.nodes) *
                                   weight(reinterpret_cast<Kobject*>(change.resource));
            }
            if (Mdb_node* n = space.radix.lookup(change.key)) {
                check_node(space, *n, space.radix.lookup(n->base()) == n);
            }
        }
        if (result_.ok()) space.checked = {space.radix.version(), next.nodes, next.references};
    }

    // A check of the changes stops at the space's last node; the whole check also scans the
    // tables after it, where a stray entry would be.
    void walk_space(Space& space)
    {
        usize left = space.radix.nodes();
        space.radix.for_each_node([&](Mdb_node& n, mword first_key) {
            ++nodes_seen_;
            // lookup() finds nothing at or above the key limit, where a stray entry could be.
            check_node(space, n, first_key == n.base() && n.base() < space.radix.key_limit());
            if (space.type == Crd::Type::obj) count(reinterpret_cast<Kobject*>(n.resource()));
            return exact_ || --left > 0;
        });
    }

    // `found_at_base`: lookup() finds the node at its base; a walk knows without one.
    void check_node(Space& space, Mdb_node& n, bool found_at_base)
    {
        if (n.space != &space) fail("a node names the space that holds it", &n);
        if ((n.base() & (n.size() - 1)) != 0) fail("a node's base is aligned to its order", &n);
        if (!found_at_base || !found_at_end(space, n))
            fail("a node is found at both ends of its range", &n);
        if (n.perms() == 0 || (n.perms() & ~perm::all) != 0)
            fail("a node has rights", &n, n.perms());
        if (n.next->prev != &n || n.prev->next != &n) fail("derivation links are symmetric", &n);
        if (n.next->depth() > n.depth() + 1) fail("derivation list is in depth-first order", &n);
        if (space.type == Crd::Type::pio && n.resource() != n.base())
            fail("ports are identity", &n);
        if (n.parent != nullptr) check_derivation(n);
    }

    // A node of one key has one end, its base.
    static bool found_at_end(Space const& space, Mdb_node const& n)
    {
        return n.size() == 1 || space.radix.lookup(n.end() - 1) == &n;
    }

    void check_derivation(Mdb_node& n)
    {
        Mdb_node const& p = *n.parent;
        if (p.space->type != n.space->type) fail("a node derives from its own space type", &n);
        if ((n.perms() & ~p.perms()) != 0)
            fail("delegated rights are a subset of the source's", &n);
        if (n.depth() != p.depth() + 1)
            fail("a child is one level below its parent", &n, n.depth());
        bool inside =
            n.resource() >= p.resource() && n.resource() + n.size() <= p.resource() + p.size();
        if (n.space->type == Crd::Type::obj) inside = n.resource() == p.resource();
        if (!inside) fail("a node maps what its parent maps", &n);
    }

    template <typename T> void check_object(T& object)
    {
        Kobject& o = object;
        held_ += weight(&o) * o.refcount_;
        if (exact_ && o.counted_refs_ != o.refcount_) {
            fail("refcount equals references", &o, o.refcount_);
        }
        check(object);
    }

    void check(Pt& pt)
    {
        if (!pt.ec->is_local()) fail("a portal is bound to a local EC", &pt);
    }

    void check(Kobject&) {} // nothing but its refcount to check

    void check(Ec& ec)
    {
        if (ec.caller != nullptr && ec.caller->partner != &ec) {
            fail("one reply capability per EC, and its caller waits for it", &ec);
        }
        if (ec.partner != nullptr && ec.partner->caller != &ec) {
            fail("the EC a caller waits for holds its reply capability", &ec);
        }
        if (ec.waiting_on != nullptr && !in_queue(*ec.waiting_on, ec)) {
            fail("a blocked EC is in its semaphore's queue", &ec);
        }
        if (ec.is_local() && ec.bound_scs != 0) fail("a local EC never owns an SC", &ec);
        if (ec.halted && !ec.is_vcpu()) fail("only a vCPU is parked by its activity state", &ec);
        if (!ec.is_local() && ec.bound_pts != 0) fail("only a local EC has portals", &ec);
        if (!k_.hip_->cpu_online(ec.cpu)) fail("an EC lives on an online CPU", &ec, ec.cpu);
        if (ec.utcb != nullptr && !ec.orphaned) {
            Mdb_node* u = ec.pd->mem.lookup(ec.utcb_addr >> page_bits);
            if (u == nullptr || u->resource() != k_.platform_.frame_of(ec.utcb)) {
                fail("an EC's UTCB is mapped in its PD", &ec);
            }
        }
    }

    void check(Sc& sc)
    {
        if (sc.ec == nullptr) {
            if (sc.prio != 0) fail("only an idle SC has no EC", &sc);
            return;
        }
        if (sc.prio == 0 || sc.prio > Sc::max_prio) fail("an SC's priority is 1..127", &sc);
        check_place(sc);
        if (!sc.ec->accepts_sc()) fail("an SC is bound to a global EC", &sc);
        if (sc.cpu != sc.ec->cpu) fail("an SC runs on its EC's CPU", &sc, sc.cpu);
        if (sc.budget_tsc > sc.quantum_tsc) fail("budget never exceeds the quantum", &sc);
    }

    static bool in_queue(Sm const& sm, Ec const& ec)
    {
        for (Ec const* e = sm.head; e != nullptr; e = e->sm_next) {
            if (e == &ec) return true;
        }
        return false;
    }

    void check_place(Sc& sc)
    {
        Cpu_state const& c = k_.cpus_[sc.cpu];
        bool current = c.current == &sc;
        if (current != (sc.place == Sc::Place::current)) fail("the current SC knows it is", &sc);
        if (sc.place == Sc::Place::queued) ++queued_;
        if (sc.place == Sc::Place::none) fail("every SC is ready, current or parked", &sc);
        if (sc.place == Sc::Place::parked) {
            bool found = false;
            for (Sc* p = sc.parked_on->parked; p != nullptr; p = p->next) found |= p == &sc;
            if (!found || !sc.parked_on->blocked()) fail("a parked SC waits on a blocked EC", &sc);
        }
    }

    // Every ready SC is on exactly one run queue: the queues hold exactly the queued SCs.
    void check_run_queues()
    {
        usize in_queues = 0;
        for (u32 cpu = 0; cpu < k_.config_.cpus; ++cpu) {
            if (exact_ && !k_.cpus_[cpu].queue.bitmap_matches()) {
                fail("a run queue's bitmap names its non-empty priorities", nullptr, cpu);
            }
            k_.cpus_[cpu].queue.for_each([&](Sc* sc) {
                ++in_queues;
                if (sc->place != Sc::Place::queued || sc->cpu != cpu) {
                    fail("a queued SC is on its own CPU's run queue", sc);
                }
            });
        }
        if (in_queues != queued_)
            fail("every ready SC is on exactly one run queue", nullptr, in_queues);
    }

    Kernel& k_;
    bool const exact_;
    u64 referenced_{0}; // the weights of every reference's target
    u64 held_{0};       // refcount times weight, of every live object
    usize queued_{0};
    Check_result result_{};
    usize nodes_seen_{0};
};

Check_result Kernel::check()
{
    return Checker{*this, Check_scope::everything}.run();
}

Check_result Kernel::check_changes()
{
    return Checker{*this, Check_scope::changes}.run();
}

} // namespace nova
