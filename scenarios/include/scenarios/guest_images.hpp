// The test guests of scenarios/guests, assembled at build time and carried in the program.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace scenarios {

std::span<unsigned char const> guest_vmm_x86();
std::span<unsigned char const> guest_io_loop16();
// Any embedded guest by its name (the source's name without .S), or nothing.
std::optional<std::span<unsigned char const>> embedded_guest(std::string_view name);

} // namespace scenarios
