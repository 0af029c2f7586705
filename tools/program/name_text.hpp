// Selectors as named resources: `$name` stands for a selector the runner allocates when a
// create_* or a declaration binds the name (resources.hpp). A selector operand may be written as
// a name, and so may the base of an object CRD: `obj:$sm/0:0x2`.
#pragma once

#include "program/fnv_hash.hpp"
#include "program/form.hpp"
#include "program/number_text.hpp"

#include <array>
#include <cstddef>
#include <functional>
#include <memory_resource>
#include <string>
#include <string_view>
#include <unordered_map>

namespace hcl {

// `$` followed by letters, digits, `_` and `.`.
bool is_name(std::string_view text);

// Hashes a name as std::string or as std::string_view alike, so a Name_map is searched with a
// view into the text and no std::string is made for the lookup (fnv_hash.hpp). Names are a few
// characters long, and std::hash's call costs more than hashing them.
struct Name_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const { return fnv1a(name); }
};

// Something per name (where it is bound, its selector), looked up by std::string_view.
template <typename Value>
using Name_map = std::pmr::unordered_map<std::string, Value, Name_hash, std::equal_to<>>;

// A Name_map whose nodes and buckets come from a buffer of its own: a parse binds a few dozen
// names, and each would otherwise cost a malloc and a free. Past the buffer, the heap.
template <typename Value> class Local_name_map {
  public:
    Local_name_map() = default;
    Local_name_map(Local_name_map const&) = delete;
    Local_name_map& operator=(Local_name_map const&) = delete;

    Name_map<Value>& operator*() { return map_; }
    Name_map<Value>* operator->() { return &map_; }
    Name_map<Value> const* operator->() const { return &map_; }

  private:
    std::array<std::byte, 4096> buffer_;
    std::pmr::monotonic_buffer_resource arena_{buffer_.data(), buffer_.size()};
    Name_map<Value> map_{&arena_};
};

// A value as written: a number, or a name whose selector is not known yet (value then holds the
// rest, e.g. a CRD with base 0).
struct Named_value {
    std::uint64_t value{0};
    std::string name;     // empty: no name
    bool relative{false}; // `+N` (Value_kind::tsc)
};

using Named_result = std::variant<Named_value, Value_error>;

// Reads `text` as a value of `operand`, with a name allowed where a selector is.
Named_result parse_named_value(Operand const& operand, std::string_view text);

// A CRD whose object base may be a name.
Named_result parse_named_crd(std::string_view text);
std::string format_named_crd(std::uint64_t crd, std::string const& name);

std::string format_named_value(Operand const& operand, std::uint64_t value, std::string const& name,
                               bool relative = false);

// The same spellings appended to `text` (the printer's one string).
void append_named_crd(std::string& text, std::uint64_t crd, std::string_view name);
void append_named_value(std::string& text, Operand const& operand, std::uint64_t value,
                        std::string_view name, bool relative = false);

// The CRD `crd` with its base replaced by `base` (a name resolved).
std::uint64_t with_base(std::uint64_t crd, std::uint64_t base);

} // namespace hcl
