// Small guest images built in memory for the loader tests: ELF32/ELF64 executables and
// Multiboot kernels, with every field reachable so tests can break each one on purpose.
#pragma once

#include "vmm/loaders/multiboot.hpp"

#include <cstring>
#include <string>
#include <vector>

namespace vmm_test {

using vmm::u16;
using vmm::u32;
using vmm::u64;
using vmm::u8;
using Bytes = std::vector<u8>;

inline void put(Bytes& image, u64 offset, u64 value, unsigned bytes)
{
    if (image.size() < offset + bytes) image.resize(offset + bytes);
    for (unsigned i = 0; i < bytes; ++i) image[offset + i] = static_cast<u8>(value >> (8 * i));
}

inline Bytes pattern(std::size_t size, u8 seed)
{
    Bytes bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<u8>(seed + i * 7);
    return bytes;
}

struct Elf_segment_spec {
    u64 paddr;
    u64 vaddr;
    Bytes data;
    u64 memsz; // at least data.size()
    u32 type{1};
};

// An ET_EXEC image: header, program headers right after it, then each segment's data.
struct Elf_builder {
    bool wide{false}; // ELF64
    u64 entry{0};
    u16 machine{0}; // 0: the class's own (3 or 62)
    u16 type{2};
    std::vector<Elf_segment_spec> segments;
    Bytes prefix; // bytes placed right after the program headers (a Multiboot header, say)

    u64 header_size() const { return wide ? 64 : 52; }
    u64 phentsize() const { return wide ? 56 : 32; }

    Bytes build() const
    {
        Bytes image(header_size(), 0);
        u8 const ident[] = {0x7f, 'E', 'L', 'F', static_cast<u8>(wide ? 2 : 1), 1, 1};
        std::memcpy(image.data(), ident, sizeof ident);
        put(image, 16, type, 2);
        put(image, 18, machine ? machine : (wide ? 62 : 3), 2);
        put(image, 20, 1, 4);
        put(image, 24, entry, wide ? 8 : 4);
        put(image, wide ? 32 : 28, header_size(), wide ? 8 : 4);
        put(image, wide ? 52 : 40, header_size(), 2);
        put(image, wide ? 54 : 42, phentsize(), 2);
        put(image, wide ? 56 : 44, segments.size(), 2);
        u64 data_at = header_size() + phentsize() * segments.size();
        image.resize(data_at);
        image.insert(image.end(), prefix.begin(), prefix.end());
        data_at = image.size();
        for (std::size_t i = 0; i < segments.size(); ++i) {
            Elf_segment_spec const& s = segments[i];
            put_program_header(image, header_size() + i * phentsize(), s, data_at);
            image.insert(image.end(), s.data.begin(), s.data.end());
            data_at += s.data.size();
        }
        return image;
    }

    void put_program_header(Bytes& image, u64 at, Elf_segment_spec const& s, u64 offset) const
    {
        put(image, at, s.type, 4);
        if (wide) {
            put(image, at + 8, offset, 8), put(image, at + 16, s.vaddr, 8),
                put(image, at + 24, s.paddr, 8);
            put(image, at + 32, s.data.size(), 8), put(image, at + 40, s.memsz, 8);
        } else {
            put(image, at + 4, offset, 4), put(image, at + 8, s.vaddr, 4),
                put(image, at + 12, s.paddr, 4);
            put(image, at + 16, s.data.size(), 4), put(image, at + 20, s.memsz, 4);
        }
    }
};

// A Multiboot header: magic, flags, checksum and (with flags bit 16) the address fields.
inline Bytes multiboot_header(u32 flags, u32 header_addr = 0, u32 load_addr = 0, u32 load_end = 0,
                              u32 bss_end = 0, u32 entry = 0)
{
    Bytes header;
    put(header, 0, vmm::multiboot_header_magic, 4);
    put(header, 4, flags, 4);
    put(header, 8, 0u - vmm::multiboot_header_magic - flags, 4);
    if (flags & (1u << 16)) {
        put(header, 12, header_addr, 4), put(header, 16, load_addr, 4),
            put(header, 20, load_end, 4);
        put(header, 24, bss_end, 4), put(header, 28, entry, 4);
    }
    return header;
}

} // namespace vmm_test
