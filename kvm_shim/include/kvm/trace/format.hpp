// The VM-exit trace file (tools/TRACE_FORMAT.md): a magic, then chunks, each with its length,
// its kind and a CRC-32, written append-only so that a recorder that dies leaves a file whose
// complete chunks replay. The first chunk is the header; every other one holds records.
#pragma once

#include "nova/utcb.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace kvm::trace {

using nova::mword;

inline constexpr char magic[8] = {'N', 'O', 'V', 'A', 'T', 'R', 'C', '\n'};
inline constexpr std::uint16_t format_version = 1;
inline constexpr std::uint32_t max_chunk = 1u << 20; // a longer chunk is refused as absurd

enum class Chunk_kind : std::uint8_t { header = 1, records = 2 };

struct Header {
    std::uint16_t version{format_version};
    std::string novasim_version;
    std::string scenario_file; // its name when it was recorded
    std::string scenario_text; // the whole scenario file
    std::vector<std::pair<std::string, std::vector<std::uint8_t>>> images; // by the scenario's name
    // Host-dependent (the format says so; two recordings may differ here): the host's KVM.
    std::string host_kvm;    // the probe's line
    std::string host_cpu;    // the host CPU's model name
    std::string calibration; // where this KVM leaves RIP after OUT and HLT
};

// One record. Which fields mean something depends on the type; `state` is the message the
// handler saw (load) or the reply (store), for the fields `mtd` names.
struct Record {
    enum class Type : std::uint8_t {
        vcpu_create = 1, // vcpu, cpu, ec: a new vCPU (numbered in creation order), its CPU, its EC
        vcpu_destroy,    // vcpu
        run,             // vcpu, cpu, tsc, event (Vm_exit::none: the stretch ended without one),
                         // qual, optional, cycles: what one guest stretch came to
        load,            // vcpu, event (the event whose message this is), mtd, state
        store,           // vcpu, event, mtd, state: the reply
        input,           // vm, call (the how-manieth time the VMM asked), bytes: console input
        dispatch,        // cpu, tsc, ec: the EC (log id) a simulated CPU switched to (0: idle)
        end,             // bytes: how the recorded run ended, in words; the last record
    };

    Type type{Type::run};
    std::uint32_t vcpu{0};
    std::uint32_t cpu{0};
    std::uint64_t tsc{0};
    mword event{~mword{0}};
    std::uint64_t qual[2]{};
    bool optional{false};
    std::uint64_t cycles{0};
    mword mtd{0};
    nova::Utcb_arch const* state{nullptr}; // valid until the next record is read
    std::uint32_t vm{0};
    std::uint64_t call{0};
    std::vector<std::uint8_t> bytes{};
    std::uint64_t ec{0};
    std::uint64_t offset{0}; // where it starts in the file (set by the reader)
};

// A file the reader refuses: where (byte offset) and what.
struct Format_error : std::runtime_error {
    Format_error(std::uint64_t offset, std::string const& what);
    std::uint64_t offset;
};

std::uint32_t crc32(std::uint8_t const* data, std::size_t size, std::uint32_t crc = 0);
char const* type_name(Record::Type type);

} // namespace kvm::trace
