// The test guests of scenarios/guests, assembled at build time and carried in the program.
#pragma once

#include <span>

namespace scenarios {

std::span<unsigned char const> guest_vmm_x86();
std::span<unsigned char const> guest_io_loop16();

} // namespace scenarios
