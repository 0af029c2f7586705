// ELF executables, 32-bit (EM_386) and 64-bit (EM_X86_64), little-endian: every PT_LOAD segment
// at its physical address (p_paddr), the part beyond p_filesz zeroed, entered at e_entry (a
// virtual entry inside a segment is translated to its physical address).
//
// Refuses, with the reason: a file too short for its headers or segments, bad magic, a class
// other than 32 or 64, big-endian data, a version other than 1, a type other than ET_EXEC, a
// machine that does not match the class, a program-header size that is not the class's, no
// loadable segment, more than 512 program headers, p_filesz above p_memsz, a segment larger than
// all RAM or wrapping around, a segment outside one RAM region, overlapping segments, an entry
// point outside every segment.
#pragma once

#include "vmm/guest_memory.hpp"
#include "vmm/loaders/load_result.hpp"

#include <span>

namespace vmm {

inline constexpr unsigned elf_max_program_headers = 512;

Load_result<Loaded_image> load_elf(Guest_memory& memory, std::span<u8 const> image);

} // namespace vmm
