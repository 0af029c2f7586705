// Multiboot v1 (the GNU Multiboot Specification 0.6.96), the boot protocol of kvm-unit-tests,
// many hobby kernels and NOVA itself.
//
// Finds the header (magic 0x1BADB002, 32-bit aligned, wholly inside the first 8 KiB) whose
// checksum makes magic + flags + checksum zero; loads the image by its a.out-kludge address
// fields (flags bit 16) or, without them, as an ELF32 or ELF64 executable (elf.hpp); then builds
// the information structure in free RAM above the image: mem_lower and mem_upper, a memory map
// of the RAM regions (type 1), the command line, the modules (each page-aligned, whatever flag 0
// says) with their strings, and the boot loader name. Everything lies below 4 GiB.
//
// The vCPU side then starts the BSP as the specification requires: 32-bit protected mode with
// flat 4 GiB code and data segments, paging off, A20 on, EFLAGS.IF and VM clear, EIP = entry,
// EAX = 0x2BADB002, EBX = the information structure. (Multiboot_boot carries the numbers.)
//
// Refuses, with the reason: no header, a bad checksum, required flags it cannot honour (bit 2,
// a video mode, or any of bits 3–15), a.out addresses that contradict each other or the file,
// an image outside RAM or above 4 GiB, every ELF refusal, and boot information or modules that
// do not fit in the RAM above the image. A refused image leaves memory untouched.
#pragma once

#include "vmm/guest_memory.hpp"
#include "vmm/loaders/load_result.hpp"

#include <span>
#include <string>
#include <vector>

namespace vmm {

inline constexpr u32 multiboot_header_magic = 0x1bad'b002;
inline constexpr u32 multiboot_boot_magic = 0x2bad'b002;

struct Multiboot_module {
    std::span<u8 const> bytes;
    std::string string; // its command line
};

struct Multiboot_options {
    std::string cmdline;
    std::vector<Multiboot_module> modules;
    std::string boot_loader_name{"novasim"};
};

struct Multiboot_boot {
    Loaded_image image;
    u32 eax;  // multiboot_boot_magic
    u32 ebx;  // guest-physical address of the information structure
    u64 free; // the first page above everything the loader placed
};

Load_result<Multiboot_boot> load_multiboot(Guest_memory& memory, std::span<u8 const> image,
                                           Multiboot_options const& options);

} // namespace vmm
