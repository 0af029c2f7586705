// Hypervisor information page ([C14] include/hip.hpp, spec §6.2): what the root PD learns about
// the machine. The layout is the specification's, byte for byte.
#pragma once

#include "types.hpp"

namespace nova {

struct Hip_cpu {
    u8 flags; // bit 0: enabled
    u8 thread;
    u8 core;
    u8 package;
    u32 acpi_id;
};

struct Hip_mem {
    static constexpr u32 ram = 1, reserved = 2, acpi_reclaim = 3, acpi_nvs = 4;
    static constexpr u32 hypervisor = ~0u, mb_module = ~0u - 1;

    u64 addr;
    u64 size;
    u32 type;
    u32 aux;
};

struct Hip {
    static constexpr u32 nova_signature = 0x41564f4e; // "NOVA"
    static constexpr u32 api_version = 7;             // CFG_VER of [C14]
    static constexpr u32 feature_vmx = 1u << 1;
    static constexpr u32 feature_svm = 1u << 2;
    static constexpr unsigned max_cpus = 64;

    u32 signature;
    u16 checksum;
    u16 length;
    u16 cpu_offs;
    u16 cpu_size;
    u16 mem_offs;
    u16 mem_size;
    u32 api_flg;
    u32 api_ver;
    u32 sel_num;
    u32 sel_exc;
    u32 sel_vmi;
    u32 sel_gsi;
    u32 cfg_page;
    u32 cfg_utcb;
    u32 freq_tsc; // kHz
    u32 reserved;
    Hip_cpu cpu_desc[max_cpus];

    usize mem_count() const { return (length - mem_offs) / mem_size; }
    Hip_mem const* mem_desc() const;
    bool cpu_online(mword cpu) const { return cpu < max_cpus && (cpu_desc[cpu].flags & 1) != 0; }

    // 16-bit sum over the whole page content; a valid HIP sums to zero.
    u16 sum() const;
};

static_assert(sizeof(Hip_cpu) == 8 && sizeof(Hip_mem) == 24);
static_assert(__builtin_offsetof(Hip, freq_tsc) == 0x30 && sizeof(Hip) == 0x38 + 64 * 8);

} // namespace nova
