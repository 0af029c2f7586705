#include "vmm/loaders/load_result.hpp"

namespace vmm {

std::string_view name(Load_failure failure)
{
    switch (failure) {
    case Load_failure::empty_image:
        return "empty image";
    case Load_failure::truncated:
        return "truncated";
    case Load_failure::bad_magic:
        return "bad magic";
    case Load_failure::wrong_class:
        return "wrong class";
    case Load_failure::wrong_endianness:
        return "wrong endianness";
    case Load_failure::wrong_type:
        return "wrong type";
    case Load_failure::wrong_machine:
        return "wrong machine";
    case Load_failure::bad_header:
        return "bad header";
    case Load_failure::absurd_size:
        return "absurd size";
    case Load_failure::outside_ram:
        return "outside RAM";
    case Load_failure::above_4g:
        return "above 4 GiB";
    case Load_failure::overlapping_segments:
        return "overlapping segments";
    case Load_failure::no_segments:
        return "no segments";
    case Load_failure::entry_outside_image:
        return "entry outside image";
    case Load_failure::no_multiboot_header:
        return "no Multiboot header";
    case Load_failure::bad_checksum:
        return "bad checksum";
    case Load_failure::unsupported_flags:
        return "unsupported flags";
    case Load_failure::bad_address_fields:
        return "bad address fields";
    case Load_failure::no_room:
        return "no room";
    }
    return "unknown";
}

} // namespace vmm
