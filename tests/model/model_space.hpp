// The reference model's view of one capability space: plain mappings in a sorted table by base.
// Deliberately naive (linear scans, no trees of children): it has to be obviously right, not fast.
#pragma once

#include "flat_map.hpp"
#include "nova/abi.hpp"

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace novamodel {

using nova::Crd;
using nova::mword;
using nova::Object_type;
using nova::Status;
using nova::u8;
using Space_type = Crd::Type;

// Objects are numbered in creation order; a PD's spaces are named by the PD's object id.
using Object_id = std::uint32_t;

// Attribute bits of a mapping. The values equal the kernel's node_attr bits so that rows compare
// directly; the comparison code asserts that they do.
namespace attr {
inline constexpr u8 dma = 1u << 0;
inline constexpr u8 guest = 1u << 1;
inline constexpr u8 kernel = 1u << 2; // the kernel's own (HIP, UTCB): opaque to every operation
inline constexpr u8 host = 1u << 3;
} // namespace attr

// A mapping is identified by where it lives: (PD, space, base).
struct Mapping_ref {
    Object_id pd{};
    Space_type type{};
    mword base{};
    auto operator<=>(Mapping_ref const&) const = default;
};

struct Mapping {
    mword base{};
    unsigned order{};
    u8 perms{};
    u8 attr{};
    // obj: the object's id; mem: the first frame; pio: the first port; kernel mappings: 0.
    mword resource{};
    std::optional<Mapping_ref> parent; // the mapping this one was delegated from

    mword size() const { return mword{1} << order; }
    mword end() const { return base + size(); }
    bool contains(mword key) const { return key >= base && key < end(); }
    bool intersects(mword first, mword last_excl) const
    {
        return base < last_excl && first < end();
    }
    bool kernel_owned() const { return (attr & attr::kernel) != 0; }
};

class Space {
  public:
    explicit Space(unsigned key_bits = 0) : key_bits_{key_bits} {}

    unsigned key_bits() const { return key_bits_; }
    mword limit() const { return mword{1} << key_bits_; }
    // Every selector a caller names wraps around modulo the size of the space.
    mword wrap(mword key) const { return key & (limit() - 1); }
    unsigned clamp_order(unsigned order) const { return order < key_bits_ ? order : key_bits_; }

    // The mapping that contains `key` (already wrapped), or nullptr.
    Mapping const* find(mword key) const;
    Mapping* find(mword key);
    bool range_free(mword base, unsigned order) const;
    // The mapping with the lowest base that intersects [first, last_excl), or nullptr.
    Mapping const* first_in(mword first, mword last_excl) const;
    // Copies of every mapping that intersects [first, last_excl), in ascending order.
    std::vector<Mapping> all_in(mword first, mword last_excl) const;

    void insert(Mapping const& mapping);
    void erase(mword base)
    {
        changed(base);
        mappings_.erase(base);
    }
    // Removes the mappings without rights, handing each to `dropped` first; how many went.
    template <typename Dropped> std::size_t drop_rightless(Dropped&& dropped)
    {
        return mappings_.erase_if([this, &dropped](auto const& entry) {
            if (entry.second.perms != 0) return false;
            dropped(entry.second);
            changed(entry.first);
            return true;
        });
    }
    std::size_t drop_rightless()
    {
        return drop_rightless([](Mapping const&) {});
    }
    Flat_map<mword, Mapping> const& mappings() const { return mappings_; }
    Flat_map<mword, Mapping>& mappings()
    {
        changed(any_key); // the caller may change anything
        return mappings_;
    }

    // Grows with every change, and with every access that could change a mapping (a mutable
    // find, the mutable map): the comparison with the kernel skips a space whose version and
    // the kernel's are those it last found in agreement.
    std::uint64_t version() const { return version_; }

    // The keys of the last few changes, as the kernel's radix logs its own: the comparison
    // looks at those keys only while every change since it last agreed is in the log.
    static constexpr mword any_key = ~mword{0}; // a change that names no key
    static constexpr unsigned logged_changes = 8;
    bool changes_logged_since(std::uint64_t version) const
    {
        return version <= version_ && version_ - version <= logged_changes &&
               version >= unnamed_at_;
    }
    // The key of the change that moved version `version` to the next one.
    mword key_changed_after(std::uint64_t version) const { return log_[version % logged_changes]; }

  private:
    void changed(mword key)
    {
        log_[version_ % logged_changes] = key;
        ++version_;
        if (key == any_key) unnamed_at_ = version_;
    }

    unsigned key_bits_;
    Flat_map<mword, Mapping> mappings_; // by base; the ranges never overlap
    std::uint64_t version_{0};
    std::array<mword, logged_changes> log_{};
    std::uint64_t unnamed_at_{0}; // one past the last change that named no key
};

// The three spaces of one PD ([C14] §3.1).
struct Pd_spaces {
    Space obj, mem, pio;

    Space& of(Space_type type);
    Space const& of(Space_type type) const;
};

inline constexpr Space_type all_space_types[] = {Space_type::obj, Space_type::mem, Space_type::pio};

mword order_mask(unsigned order);

} // namespace novamodel
