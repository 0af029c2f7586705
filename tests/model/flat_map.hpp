// A sorted table that reads like the std::map the model used to keep its objects and mappings
// in (find, at, count, lower_bound, upper_bound, emplace, erase, iteration in ascending order of
// key, entries with `first` and `second`), kept in one vector. The tables are small (a few
// hundred entries at most) and the fuzzer copies a booted model for every program: a copy is
// one allocation instead of one per entry, and a walk reads consecutive memory.
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <stdexcept>
#include <utility>
#include <vector>

namespace novamodel {

template <typename Key, typename Value> class Flat_map {
  public:
    using value_type = std::pair<Key, Value>;
    using iterator = typename std::vector<value_type>::iterator;
    using const_iterator = typename std::vector<value_type>::const_iterator;

    iterator begin() { return entries_.begin(); }
    iterator end() { return entries_.end(); }
    const_iterator begin() const { return entries_.begin(); }
    const_iterator end() const { return entries_.end(); }
    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }

    // The first entry whose key is not below (lower_bound) or is above (upper_bound) `key`.
    const_iterator lower_bound(Key const& key) const
    {
        return std::partition_point(entries_.begin(), entries_.end(),
                                    [&key](value_type const& entry) { return entry.first < key; });
    }
    const_iterator upper_bound(Key const& key) const
    {
        return std::partition_point(
            entries_.begin(), entries_.end(),
            [&key](value_type const& entry) { return !(key < entry.first); });
    }
    const_iterator find(Key const& key) const
    {
        auto at = lower_bound(key);
        return at != end() && !(key < at->first) ? at : end();
    }
    iterator find(Key const& key) { return mutable_at(std::as_const(*this).find(key)); }
    std::size_t count(Key const& key) const { return find(key) != end() ? 1 : 0; }
    Value const& at(Key const& key) const
    {
        auto found = find(key);
        if (found == end()) throw std::out_of_range("model: no entry has this key");
        return found->second;
    }

    // As std::map::emplace: no change when the key is there already.
    std::pair<iterator, bool> emplace(Key const& key, Value const& value)
    {
        auto at = mutable_at(lower_bound(key));
        if (at != end() && !(key < at->first)) return {at, false};
        return {entries_.insert(at, value_type{key, value}), true};
    }
    // The same, searching only when `hint` is not where the key belongs.
    iterator emplace_hint(const_iterator hint, Key const& key, Value const& value)
    {
        bool after_previous = hint == begin() || std::prev(hint)->first < key;
        if (!after_previous || (hint != end() && !(key < hint->first))) {
            return emplace(key, value).first;
        }
        return entries_.insert(hint, value_type{key, value});
    }
    std::size_t erase(Key const& key)
    {
        auto found = find(key);
        if (found == end()) return 0;
        entries_.erase(found);
        return 1;
    }
    void clear() { entries_.clear(); } // keeps the room, for the next filling
    void reserve(std::size_t entries) { entries_.reserve(entries); }
    template <typename Predicate> std::size_t erase_if(Predicate&& doomed)
    {
        return std::erase_if(entries_, doomed);
    }

  private:
    iterator mutable_at(const_iterator at) { return entries_.begin() + (at - entries_.cbegin()); }

    std::vector<value_type> entries_;
};

} // namespace novamodel
