// Lines of device state for the VMM's state dump (Pc_board::describe_state). Every device
// writes its state through State_line, so all lines of a dump read the same way:
//
//   label: NAME=0x0f count=12 flag=1 timer=1500000ns list=0x30,0x41
//
// registers in hex (zero-padded to their width), counts in decimal, deadlines in nanoseconds of
// simulated time ("never" when not armed), "-" for nothing. The text depends only on the values
// given: no host pointers, no host time, so the same state always gives the same text.
#pragma once

#include "vmm/time.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vmm {

class State_line {
  public:
    explicit State_line(std::string_view label);

    // `digits` hex digits at least: a register's width (2 for a byte).
    State_line& hex(std::string_view name, u64 value, unsigned digits = 2);
    State_line& dec(std::string_view name, u64 value);
    // An empty optional shows as "-".
    template <typename Number>
    State_line& hex(std::string_view name, std::optional<Number> value, unsigned digits = 2)
    {
        return value ? hex(name, static_cast<u64>(*value), digits) : field(name, absent);
    }
    template <typename Number> State_line& dec(std::string_view name, std::optional<Number> value)
    {
        return value ? dec(name, static_cast<u64>(*value)) : field(name, absent);
    }
    State_line& flag(std::string_view name, bool value); // 1 or 0
    State_line& text(std::string_view name, std::string_view value);
    State_line& deadline(std::string_view name, Nanoseconds at);
    State_line& hex_list(std::string_view name, std::vector<u64> const& values);
    State_line& dec_list(std::string_view name, std::vector<u64> const& values);
    // The names whose condition holds, comma-separated: a set of mode bits.
    State_line& names(std::string_view name,
                      std::initializer_list<std::pair<std::string_view, bool>> candidates);

    // The line with its newline.
    std::string str() const { return line_ + '\n'; }

  private:
    static constexpr std::string_view absent = "-";

    State_line& field(std::string_view name, std::string_view value);

    std::string line_;
};

} // namespace vmm
