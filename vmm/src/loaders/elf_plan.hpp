// The two halves of loading an ELF image, for loaders that must check more than the ELF file
// before they write anything (Multiboot).
#pragma once

#include "vmm/guest_memory.hpp"
#include "vmm/loaders/load_result.hpp"

#include <span>
#include <vector>

namespace vmm {

struct Elf_segment {
    u64 offset, vaddr, paddr, filesz, memsz;
};

struct Elf_plan {
    Loaded_image image;
    std::vector<Elf_segment> segments; // checked: inside the file, inside RAM, below the limit
};

// Every check of load_elf, with segments required to end at or below `limit`; writes nothing.
Load_result<Elf_plan> plan_elf(Guest_memory& memory, std::span<u8 const> image, u64 limit);
void write_elf(Guest_memory& memory, std::span<u8 const> image, Elf_plan const& plan);

} // namespace vmm
