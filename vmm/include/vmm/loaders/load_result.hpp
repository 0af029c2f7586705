// What a guest loader returns: the loaded image, or why it was refused. A refused image leaves
// guest memory as it was: every check runs before the first byte is written.
#pragma once

#include "vmm/types.hpp"

#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

namespace vmm {

enum class Load_failure : u8 {
    empty_image,
    truncated,            // the file ends before something it describes
    bad_magic,            // not this format at all
    wrong_class,          // ELF class neither 32 nor 64
    wrong_endianness,     // ELF data not little-endian
    wrong_type,           // ELF not an executable
    wrong_machine,        // ELF for another processor (or the class's other one)
    bad_header,           // a header field with a value the format does not allow
    absurd_size,          // more segments, or bigger ones, than any kernel has
    outside_ram,          // a part would not land inside one RAM region
    above_4g,             // Multiboot v1 enters in 32-bit mode: everything must lie below 4 GiB
    overlapping_segments, // two segments claim the same guest memory
    no_segments,          // nothing to load
    entry_outside_image,  // the entry point is not in what was loaded
    no_multiboot_header,  // no Multiboot magic in the first 8 KiB
    bad_checksum,         // magic found, but magic + flags + checksum is not 0
    unsupported_flags,    // a required Multiboot feature this loader does not offer
    bad_address_fields,   // a.out-kludge addresses that contradict each other or the file
    no_room,              // the boot information or modules do not fit in free RAM
};

std::string_view name(Load_failure failure);

struct Load_error {
    Load_failure failure;
    std::string detail; // what exactly, with the numbers
};

template <typename T> class Load_result {
  public:
    Load_result(T value) : outcome_(std::move(value)) {}
    Load_result(Load_error error) : outcome_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(outcome_); }
    explicit operator bool() const { return ok(); }
    // Asking a refusal for its value (or a success for its error) is a caller bug.
    T const& value() const
    {
        if (!ok()) throw std::logic_error("load refused: " + std::get<Load_error>(outcome_).detail);
        return std::get<T>(outcome_);
    }
    Load_error const& error() const
    {
        if (ok()) throw std::logic_error("the load succeeded: there is no error");
        return std::get<Load_error>(outcome_);
    }

  private:
    std::variant<T, Load_error> outcome_;
};

// Where an image landed.
struct Loaded_image {
    u64 entry;          // guest-physical
    u64 lowest;         // the lowest guest-physical byte it occupies
    u64 end;            // one past the highest, bss included
    unsigned elf_class; // 32 or 64; 0 for a flat binary or an a.out-kludge image
};

} // namespace vmm
