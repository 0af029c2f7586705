#include "kvm/guest_code.hpp"

#include <algorithm>

namespace kvm {

namespace {

constexpr std::uint64_t cr0_pg = 1u << 31, cr4_pse = 1u << 4, cr4_pae = 1u << 5;
constexpr std::uint64_t efer_lma = 1u << 10;
constexpr std::uint64_t present = 1, large = 1u << 7;

std::optional<std::uint64_t> entry(Guest_memory const& m, std::uint64_t gpa, unsigned bytes)
{
    std::uint64_t value = 0;
    if (!m.read(gpa, &value, bytes) || (value & present) == 0) return std::nullopt;
    return value;
}

// 4-level (long mode, top level 3) and PAE (top level 2, a 4-entry PDPT) walks share the
// 9-bits-per-level layout; PS marks 1 GiB and 2 MiB pages below the top.
std::optional<std::uint64_t> walk_wide(Guest_memory const& m, std::uint64_t table, std::uint64_t la,
                                       int top)
{
    constexpr std::uint64_t addr_mask = 0x000f'ffff'ffff'f000ull;
    for (int level = top; level >= 0; --level) {
        unsigned shift = 12 + 9 * static_cast<unsigned>(level);
        bool pae_pdpt = top == 2 && level == 2;
        std::uint64_t index = pae_pdpt ? (la >> 30) & 3 : (la >> shift) & 0x1ff;
        auto e = entry(m, table + index * 8, 8);
        if (!e) return std::nullopt;
        if (level == 0 || (level < 3 && !pae_pdpt && (*e & large) != 0)) {
            std::uint64_t span = std::uint64_t{1} << shift;
            return (*e & addr_mask & ~(span - 1)) | (la & (span - 1));
        }
        table = *e & addr_mask;
    }
    return std::nullopt;
}

std::optional<std::uint64_t> walk_32(Guest_memory const& m, Paging const& p, std::uint64_t la)
{
    auto pde = entry(m, (p.cr3 & 0xffff'f000) + ((la >> 22) & 0x3ff) * 4, 4);
    if (!pde) return std::nullopt;
    if ((p.cr4 & cr4_pse) != 0 && (*pde & large) != 0)
        return (*pde & 0xffc0'0000) | (la & 0x3f'ffff);
    auto pte = entry(m, (*pde & 0xffff'f000) + ((la >> 12) & 0x3ff) * 4, 4);
    if (!pte) return std::nullopt;
    return (*pte & 0xffff'f000) | (la & 0xfff);
}

bool is_segment_prefix(std::uint8_t b)
{
    return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65;
}

struct Opcode {
    bool known, in, string, imm, byte_op;
};

Opcode classify(std::uint8_t op)
{
    switch (op) {
    case 0xe4:
        return {true, true, false, true, true};
    case 0xe5:
        return {true, true, false, true, false};
    case 0xe6:
        return {true, false, false, true, true};
    case 0xe7:
        return {true, false, false, true, false};
    case 0xec:
        return {true, true, false, false, true};
    case 0xed:
        return {true, true, false, false, false};
    case 0xee:
        return {true, false, false, false, true};
    case 0xef:
        return {true, false, false, false, false};
    case 0x6c:
        return {true, true, true, false, true};
    case 0x6d:
        return {true, true, true, false, false};
    case 0x6e:
        return {true, false, true, false, true};
    case 0x6f:
        return {true, false, true, false, false};
    default:
        return {false, false, false, false, false};
    }
}

// Whether the opcode, with or without an operand-size prefix, moves `io.size` bytes that way.
bool matches(Opcode const& op, bool opsize, std::uint8_t imm, Io_access const& io, bool default32)
{
    if (!op.known || op.in != io.in || op.string != io.string) return false;
    if (op.imm && imm != (io.port & 0xff)) return false;
    unsigned size = op.byte_op ? 1 : (default32 != opsize ? 4 : 2);
    return size == io.size;
}

} // namespace

std::optional<std::uint64_t> linear_to_physical(Guest_memory const& memory, Paging const& paging,
                                                std::uint64_t la)
{
    if ((paging.cr0 & cr0_pg) == 0) return la & 0xffff'ffff;
    if ((paging.efer & efer_lma) != 0)
        return walk_wide(memory, paging.cr3 & 0x000f'ffff'ffff'f000ull, la, 3);
    if ((paging.cr4 & cr4_pae) != 0) return walk_wide(memory, paging.cr3 & 0xffff'ffe0, la, 2);
    return walk_32(memory, paging, la);
}

std::size_t read_linear(Guest_memory const& memory, Paging const& paging, std::uint64_t la,
                        std::uint8_t* dst, std::size_t size)
{
    std::size_t done = 0;
    while (done < size) {
        auto gpa = linear_to_physical(memory, paging, la + done);
        std::size_t chunk = std::min<std::size_t>(size - done, 4096 - (la + done) % 4096);
        if (!gpa || !memory.read(*gpa, dst + done, chunk)) break;
        done += chunk;
    }
    return done;
}

std::size_t read_linear_before(Guest_memory const& memory, Paging const& paging, std::uint64_t end,
                               std::uint8_t* dst, std::size_t size)
{
    std::size_t done = 0;
    while (done < size) {
        std::uint64_t last = end - done - 1; // the byte just below what was read so far
        std::size_t chunk = std::min<std::size_t>(size - done, last % 4096 + 1);
        auto gpa = linear_to_physical(memory, paging, last + 1 - chunk);
        if (!gpa || !memory.read(*gpa, dst + size - done - chunk, chunk)) break;
        done += chunk;
    }
    return done;
}

unsigned io_length_at(std::uint8_t const* code, std::size_t n, Io_access const& io, bool default32,
                      bool long_mode)
{
    std::size_t i = 0;
    bool opsize = false;
    for (; i < n && i < 14; ++i) {
        std::uint8_t b = code[i];
        if (b == 0x66) {
            opsize = true;
        } else if (!(b == 0x67 || b == 0xf2 || b == 0xf3 || is_segment_prefix(b) ||
                     (long_mode && (b & 0xf0) == 0x40))) {
            break;
        }
    }
    if (i >= n) return 0;
    Opcode op = classify(code[i]);
    std::uint8_t imm = op.imm && i + 1 < n ? code[i + 1] : 0;
    if (op.imm && i + 1 >= n) return 0;
    if (!matches(op, opsize, imm, io, default32)) return 0;
    return static_cast<unsigned>(i + 1 + (op.imm ? 1 : 0));
}

// Backwards there is no telling a prefix from the previous instruction's last byte, so a prefix
// counts only where the access needs it: 0x66 when the size says so, REP/segment for strings.
unsigned io_length_before(std::uint8_t const* code_end, std::size_t n, Io_access const& io,
                          bool default32)
{
    auto byte = [&](std::size_t back) {
        return back <= n ? code_end[-static_cast<long>(back)] : 0;
    };
    unsigned len = 0;
    bool opsize_needed = io.size > 1 && (io.size == 2) == default32;
    if (n >= 2 && matches(classify(byte(2)), opsize_needed, byte(1), io, default32) &&
        classify(byte(2)).imm) {
        len = 2;
    } else if (n >= 1 && matches(classify(byte(1)), opsize_needed, 0, io, default32) &&
               !classify(byte(1)).imm) {
        len = 1;
    } else {
        return 0;
    }
    if (opsize_needed && byte(len + 1) == 0x66) ++len;
    while (io.string && len < n && len < 15 &&
           (byte(len + 1) == 0xf3 || is_segment_prefix(byte(len + 1)))) {
        ++len;
    }
    return len;
}

} // namespace kvm
