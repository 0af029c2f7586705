#include "vmm/loaders/elf.hpp"

#include "elf_plan.hpp"
#include "image_bytes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace vmm {

namespace {

using image::fits;
using image::le16;
using image::le32;
using image::le64;

constexpr u8 elf_magic[] = {0x7f, 'E', 'L', 'F'};
constexpr u16 et_exec = 2, em_386 = 3, em_x86_64 = 62;
constexpr u32 pt_load = 1;

struct Header {
    unsigned elf_class; // 32 or 64
    u64 entry, phoff;
    u16 phentsize, phnum;
};

using Segment = Elf_segment;

Load_error refuse(Load_failure failure, std::string detail)
{
    return Load_error{failure, std::move(detail)};
}

std::optional<Load_error> check_identification(std::span<u8 const> image)
{
    for (std::size_t i = 0; i < sizeof elf_magic; ++i)
        if (i >= image.size() || image[i] != elf_magic[i])
            return image.empty() ? refuse(Load_failure::empty_image, "the ELF image is empty")
                                 : refuse(Load_failure::bad_magic,
                                          "not an ELF file (no \\x7fELF at offset 0)");
    if (image.size() < 16) return refuse(Load_failure::truncated, "the file ends inside e_ident");
    if (image[4] != 1 && image[4] != 2)
        return refuse(Load_failure::wrong_class,
                      fmt::format("ELF class {} is neither 32 (1) nor 64 (2)", image[4]));
    if (image[5] != 1)
        return refuse(Load_failure::wrong_endianness,
                      fmt::format("ELF data encoding {} is not little-endian", image[5]));
    if (image[6] != 1)
        return refuse(Load_failure::bad_header, fmt::format("ELF version {} is not 1", image[6]));
    return std::nullopt;
}

Load_result<Header> read_header(std::span<u8 const> image)
{
    if (std::optional<Load_error> error = check_identification(image)) return *error;
    bool const wide = image[4] == 2;
    if (!fits(image, 0, wide ? 64 : 52))
        return refuse(Load_failure::truncated, "the file ends inside the ELF header");
    u16 const type = le16(image, 16), machine = le16(image, 18);
    if (type != et_exec)
        return refuse(Load_failure::wrong_type,
                      fmt::format("ELF type {} is not ET_EXEC (2)", type));
    if (machine != (wide ? em_x86_64 : em_386))
        return refuse(Load_failure::wrong_machine,
                      fmt::format("machine {} in an ELF{} file; expected {}", machine,
                                  wide ? 64 : 32, wide ? em_x86_64 : em_386));
    Header h{wide ? 64u : 32u, 0, 0, 0, 0};
    h.entry = wide ? le64(image, 24) : le32(image, 24);
    h.phoff = wide ? le64(image, 32) : le32(image, 28);
    h.phentsize = le16(image, wide ? 54 : 42);
    h.phnum = le16(image, wide ? 56 : 44);
    return h;
}

Segment read_segment(std::span<u8 const> image, Header const& h, u64 at)
{
    if (h.elf_class == 64)
        return {le64(image, at + 8), le64(image, at + 16), le64(image, at + 24),
                le64(image, at + 32), le64(image, at + 40)};
    return {le32(image, at + 4), le32(image, at + 8), le32(image, at + 12), le32(image, at + 16),
            le32(image, at + 20)};
}

std::optional<Load_error> check_segment(std::span<u8 const> image, Segment const& s, u64 ram_total)
{
    if (s.filesz > s.memsz)
        return refuse(Load_failure::bad_header,
                      fmt::format("a segment's file size {:#x} exceeds its memory size {:#x}",
                                  s.filesz, s.memsz));
    if (!fits(image, s.offset, s.filesz))
        return refuse(Load_failure::truncated,
                      fmt::format("the segment at file offset {:#x} of {:#x} bytes runs past "
                                  "the end of the {:#x}-byte file",
                                  s.offset, s.filesz, image.size()));
    if (s.memsz > ram_total || s.paddr > ~u64{0} - s.memsz)
        return refuse(Load_failure::absurd_size,
                      fmt::format("a segment of {:#x} bytes at {:#x} is larger than all "
                                  "guest RAM or wraps around",
                                  s.memsz, s.paddr));
    return std::nullopt;
}

u64 total_ram(Guest_memory& memory)
{
    u64 total = 0;
    for (Address_range const& r : memory.regions()) total += r.size;
    return total;
}

Load_result<std::vector<Segment>> read_segments(std::span<u8 const> image, Header const& h,
                                                Guest_memory& memory)
{
    u16 const expected = h.elf_class == 64 ? 56 : 32;
    if (h.phentsize != expected)
        return refuse(Load_failure::bad_header,
                      fmt::format("program headers of {} bytes; ELF{} has {}", h.phentsize,
                                  h.elf_class, expected));
    if (h.phnum > elf_max_program_headers)
        return refuse(Load_failure::absurd_size, fmt::format("{} program headers (at most {})",
                                                             h.phnum, elf_max_program_headers));
    if (!fits(image, h.phoff, u64{h.phnum} * h.phentsize))
        return refuse(Load_failure::truncated, "the program headers run past the end of the file");
    std::vector<Segment> segments;
    u64 const ram = total_ram(memory);
    for (u16 i = 0; i < h.phnum; ++i) {
        u64 const at = h.phoff + u64{i} * h.phentsize;
        if (le32(image, at) != pt_load) continue;
        Segment const s = read_segment(image, h, at);
        if (std::optional<Load_error> error = check_segment(image, s, ram)) return *error;
        if (s.memsz != 0) segments.push_back(s);
    }
    if (segments.empty())
        return refuse(Load_failure::no_segments, "no PT_LOAD segment with memory to load");
    return segments;
}

std::optional<Load_error> check_placement(std::vector<Segment> const& segments,
                                          Guest_memory& memory, u64 limit)
{
    for (std::size_t i = 0; i < segments.size(); ++i) {
        Address_range const mine{segments[i].paddr, segments[i].memsz};
        if (mine.base + mine.size > limit)
            return refuse(Load_failure::above_4g,
                          fmt::format("the segment at {:#x}-{:#x} reaches above {:#x}", mine.base,
                                      mine.last(), limit - 1));
        if (!memory.contains(mine.base, mine.size))
            return refuse(Load_failure::outside_ram,
                          fmt::format("the segment at {:#x}-{:#x} does not lie inside one "
                                      "RAM region",
                                      mine.base, mine.last()));
        for (std::size_t j = 0; j < i; ++j)
            if (mine.overlaps({segments[j].paddr, segments[j].memsz}))
                return refuse(Load_failure::overlapping_segments,
                              fmt::format("segments at {:#x} and {:#x} overlap", segments[j].paddr,
                                          mine.base));
    }
    return std::nullopt;
}

// e_entry may be virtual (inside a segment's p_vaddr range) or already physical.
std::optional<u64> physical_entry(u64 entry, std::vector<Segment> const& segments)
{
    for (Segment const& s : segments)
        if (entry >= s.vaddr && entry - s.vaddr < s.memsz) return entry - s.vaddr + s.paddr;
    for (Segment const& s : segments)
        if (entry >= s.paddr && entry - s.paddr < s.memsz) return entry;
    return std::nullopt;
}

} // namespace

Load_result<Elf_plan> plan_elf(Guest_memory& memory, std::span<u8 const> image, u64 limit)
{
    Load_result<Header> const header = read_header(image);
    if (!header) return header.error();
    Load_result<std::vector<Segment>> segments = read_segments(image, header.value(), memory);
    if (!segments) return segments.error();
    if (std::optional<Load_error> error = check_placement(segments.value(), memory, limit))
        return *error;
    std::optional<u64> const entry = physical_entry(header.value().entry, segments.value());
    if (!entry)
        return refuse(
            Load_failure::entry_outside_image,
            fmt::format("the entry point {:#x} is in no loaded segment", header.value().entry));
    Elf_plan plan{{*entry, ~u64{0}, 0, header.value().elf_class}, segments.value()};
    for (Segment const& s : plan.segments) {
        plan.image.lowest = std::min(plan.image.lowest, s.paddr);
        plan.image.end = std::max(plan.image.end, s.paddr + s.memsz);
    }
    return plan;
}

void write_elf(Guest_memory& memory, std::span<u8 const> image, Elf_plan const& plan)
{
    for (Segment const& s : plan.segments) {
        memory.write(s.paddr, image.subspan(s.offset, s.filesz));
        memory.fill(s.paddr + s.filesz, 0, s.memsz - s.filesz);
    }
}

Load_result<Loaded_image> load_elf(Guest_memory& memory, std::span<u8 const> image)
{
    Load_result<Elf_plan> const plan = plan_elf(memory, image, ~u64{0});
    if (!plan) return plan.error();
    write_elf(memory, image, plan.value());
    return plan.value().image;
}

} // namespace vmm
