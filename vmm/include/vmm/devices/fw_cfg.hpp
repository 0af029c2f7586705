// QEMU's firmware configuration interface, the traditional I/O form: a 16-bit write to 0x510
// selects an item, byte reads from 0x511 return its bytes one after another (0 past its end).
// Small guests and test suites written for QEMU's PC machine read the machine's shape here
// (kvm-unit-tests: CPU count and RAM size).
//
// Models: the selector and data ports as QEMU's combined 0x510–0x511 region (a 2-byte write
// selects, a 1-byte read returns the next data byte, 1-byte writes are data writes and, as in
// QEMU since 2.4, ignored); any item the host sets (multi-byte numbers little-endian); the
// signature "QEMU" (0x00), the interface ID (0x01: traditional interface only, no DMA), the
// file directory (0x19: big-endian count, then size, selector and a 56-byte name per file,
// sorted by name) with files from selector 0x20. Pc_board sets UUID (0x02, zero), RAM size
// (0x03), NOGRAPHIC (0x04), CPU count (0x05), maximum CPUs (0x0f) and the kernel command line
// (0x14 its size including the NUL, 0x15 its bytes).
//
// Leaves out: the DMA interface (ID says so; its port 0x514 is not claimed), writable items,
// the MMIO form of other machines. A 2-byte read is not an access QEMU accepts: it reads all ones.
//
// Threat model: the guest can only select (any of 65536 keys; unknown ones read as empty) and
// read; it never allocates or changes an item.
#pragma once

#include "vmm/bus.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vmm {

class Fw_cfg final : public Io_device {
  public:
    enum Key : u16 {
        signature = 0x00,
        id = 0x01,
        uuid = 0x02,
        ram_size = 0x03,
        nographic = 0x04,
        nb_cpus = 0x05,
        max_cpus = 0x0f,
        cmdline_size = 0x14,
        cmdline_data = 0x15,
        file_dir = 0x19,
        first_file = 0x20,
    };
    static constexpr u16 write_channel = 0x4000;
    static constexpr std::size_t max_name = 55; // 56 bytes with the NUL
    static constexpr std::size_t max_files = 0x1000;

    explicit Fw_cfg(Bus& bus, u16 base = 0x510);

    void set(u16 key, std::vector<u8> bytes);
    void set_u16(u16 key, u16 value) { set_number(key, value, 2); }
    void set_u32(u16 key, u32 value) { set_number(key, value, 4); }
    void set_u64(u16 key, u64 value) { set_number(key, value, 8); }
    // Sets 0x14 and 0x15.
    void set_cmdline(std::string_view cmdline);
    // Adds a named file and returns its selector. Config_error for an empty or too long name,
    // a name already there, or too many files.
    u16 add_file(std::string const& name, std::vector<u8> bytes);
    std::vector<u8> const* item(u16 key) const;
    // The selected item and read offset, the item count, and each file with its selector and
    // size (state_text.hpp).
    std::string describe_state() const;

    u32 io_read(u16 port, unsigned size) override;
    void io_write(u16 port, unsigned size, u32 value) override;

  private:
    void set_number(u16 key, u64 value, unsigned bytes);
    void rebuild_directory();

    std::map<u16, std::vector<u8>> items_;
    std::map<std::string, u16> files_; // name to selector, in name order
    u16 selected_{signature};
    std::size_t offset_{0};
};

} // namespace vmm
