// A VM's image into its RAM (internal): the file or embedded guest, the loader its kind names,
// and the boot processor's start (for a 64-bit ELF, with identity page tables the VMM builds).
#pragma once

#include "scenarios/scenario.hpp"
#include "vmm/guest_memory.hpp"
#include "vmm/vm/exit_handler.hpp"

#include <map>
#include <string>
#include <vector>

namespace scenarios {

// The bytes of every image and module a scenario names, by "file:PATH" (as the scenario names
// it) or "guest:NAME": read once before the run, and kept in a trace so that its replay loads
// the very same guests.
using Image_store = std::map<std::string, std::vector<unsigned char>>;

// Scenario_error naming the scenario and the file that cannot be read.
Image_store read_images(Scenario const& s);
// Scenario_error naming the file and the loader's reason when the image is refused.
vmm::Boot_state load_image(Scenario const& s, Vm_description const& vm, vmm::Guest_memory& ram,
                           Image_store const& images);

} // namespace scenarios
