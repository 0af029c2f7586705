// How a hypercall status is spelled in a program: the kernel's status name upper-cased
// (SUCCESS, BAD_CAP, ...), or a number for a status byte that has no name.
#pragma once

#include "nova/abi.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace hcl {

std::optional<nova::Status> parse_status(std::string_view text);
std::string format_status(nova::Status status);
void append_status(std::string& text, nova::Status status);

// "SUCCESS, TIMEOUT, ...": for error messages.
std::string status_list();

} // namespace hcl
