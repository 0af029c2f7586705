// Reading the guest's code without an instruction emulator: guest-linear addresses through the
// guest's own page tables, and the length of a port I/O instruction — all the shim must know to
// report an I/O exit the NOVA way (RIP at the instruction, its length) when KVM says only
// "port, size, direction".
#pragma once

#include "kvm/guest_memory.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace kvm {

// The paging state that translation needs (from KVM's sregs).
struct Paging {
    std::uint64_t cr0, cr3, cr4, efer;
};

// Guest-physical address of guest-linear `la`: identity without CR0.PG; else a walk of the
// 32-bit, PAE or 4-level tables in guest memory. Nothing when a level is not present.
std::optional<std::uint64_t> linear_to_physical(Guest_memory const& memory, Paging const& paging,
                                                std::uint64_t la);
// Up to `size` bytes at guest-linear `la` (page by page); how many could be read.
std::size_t read_linear(Guest_memory const& memory, Paging const& paging, std::uint64_t la,
                        std::uint8_t* dst, std::size_t size);
// Up to `size` bytes that end at guest-linear `end`, into the end of dst[0, size): the longest
// readable run that ends there (page by page, backwards). How many could be read.
std::size_t read_linear_before(Guest_memory const& memory, Paging const& paging, std::uint64_t end,
                               std::uint8_t* dst, std::size_t size);

// What KVM said about an I/O exit, to check a decoded instruction against.
struct Io_access {
    std::uint16_t port;
    unsigned size; // 1, 2, 4
    bool in;
    bool string;
};

// The length of the IN/OUT/INS/OUTS at `code` (prefixes included) if it matches `io`, else 0.
// `default32` is CS.D (or long mode): whether 0x66 selects 16 (set) or 32 bits (clear).
unsigned io_length_at(std::uint8_t const* code, std::size_t n, Io_access const& io, bool default32,
                      bool long_mode);
// The same for an instruction that ends where `code_end` points (`n` bytes before it readable),
// for a KVM that reports RIP after the instruction.
unsigned io_length_before(std::uint8_t const* code_end, std::size_t n, Io_access const& io,
                          bool default32);

} // namespace kvm
