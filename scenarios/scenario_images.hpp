// A VM's image into its RAM (internal): the file or embedded guest, the loader its kind names,
// and the boot processor's start (for a 64-bit ELF, with identity page tables the VMM builds).
#pragma once

#include "scenarios/scenario.hpp"
#include "vmm/guest_memory.hpp"
#include "vmm/vm/exit_handler.hpp"

namespace scenarios {

// Scenario_error naming the file and the loader's reason when the image is refused.
vmm::Boot_state load_image(Scenario const& s, Vm_description const& vm, vmm::Guest_memory& ram);

} // namespace scenarios
