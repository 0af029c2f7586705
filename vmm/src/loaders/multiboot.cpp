#include "vmm/loaders/multiboot.hpp"

#include "elf_plan.hpp"
#include "image_bytes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace vmm {

namespace {

using image::fits;
using image::le32;

constexpr u64 search_limit = 8192;
constexpr u64 four_gib = u64{1} << 32;
constexpr u64 page = 4096;
constexpr u32 flag_page_align = 1u << 0, flag_memory_info = 1u << 1, flag_video = 1u << 2;
constexpr u32 flag_address_fields = 1u << 16;
constexpr u32 info_memory = 1u << 0, info_cmdline = 1u << 2, info_modules = 1u << 3,
              info_mmap = 1u << 6, info_loader_name = 1u << 9;
constexpr u64 info_size = 116; // up to and including the framebuffer fields
constexpr u64 mmap_entry_size = 24, module_entry_size = 16;

struct Header {
    u64 offset;
    u32 flags;
    u32 header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

Load_error refuse(Load_failure failure, std::string detail)
{
    return Load_error{failure, std::move(detail)};
}

Load_result<Header> find_header(std::span<u8 const> image)
{
    if (image.empty()) return refuse(Load_failure::empty_image, "the Multiboot image is empty");
    std::span<u8 const> const window = image.first(std::min<u64>(image.size(), search_limit));
    bool magic_seen = false;
    for (u64 at = 0; fits(window, at, 12); at += 4) {
        if (le32(window, at) != multiboot_header_magic) continue;
        magic_seen = true;
        u32 const flags = le32(window, at + 4);
        if (multiboot_header_magic + flags + le32(window, at + 8) != 0) continue;
        Header h{at, flags, 0, 0, 0, 0, 0};
        if (!(flags & flag_address_fields)) return h;
        if (!fits(window, at, 32))
            return refuse(Load_failure::truncated, "the address fields end past the first 8 KiB");
        h.header_addr = le32(window, at + 12), h.load_addr = le32(window, at + 16);
        h.load_end_addr = le32(window, at + 20), h.bss_end_addr = le32(window, at + 24);
        h.entry_addr = le32(window, at + 28);
        return h;
    }
    if (magic_seen)
        return refuse(Load_failure::bad_checksum,
                      "a Multiboot magic without a checksum that makes it valid");
    return refuse(Load_failure::no_multiboot_header, "no Multiboot header in the first 8 KiB");
}

std::optional<Load_error> check_flags(u32 flags)
{
    u32 const unsupported = flags & 0xffff & ~(flag_page_align | flag_memory_info);
    if (unsupported & flag_video)
        return refuse(Load_failure::unsupported_flags,
                      "the kernel requires a video mode (flag 2); there is no display");
    if (unsupported)
        return refuse(Load_failure::unsupported_flags,
                      fmt::format("required flags {:#x} are not defined", unsupported));
    return std::nullopt;
}

// An image placed by its a.out-kludge address fields: its plan is the load and bss range.
struct Kludge_plan {
    Loaded_image image;
    u64 file_start, load_size;
};

Load_result<Kludge_plan> plan_kludge(Guest_memory& memory, std::span<u8 const> image,
                                     Header const& h)
{
    if (h.load_addr > h.header_addr || h.header_addr - h.load_addr > h.offset)
        return refuse(
            Load_failure::bad_address_fields,
            fmt::format(
                "load_addr {:#x} and header_addr {:#x} put the load before the file's start",
                h.load_addr, h.header_addr));
    u64 const file_start = h.offset - (h.header_addr - h.load_addr);
    if (h.load_end_addr != 0 && h.load_end_addr < h.load_addr)
        return refuse(Load_failure::bad_address_fields, "load_end_addr lies below load_addr");
    u64 const load_size =
        h.load_end_addr == 0 ? image.size() - file_start : u64{h.load_end_addr} - h.load_addr;
    if (!fits(image, file_start, load_size))
        return refuse(Load_failure::truncated,
                      fmt::format("the load of {:#x} bytes from file offset {:#x} runs past "
                                  "the end of the file",
                                  load_size, file_start));
    u64 const end = h.load_addr + load_size;
    u64 const bss_end = h.bss_end_addr == 0 ? end : h.bss_end_addr;
    if (bss_end < end)
        return refuse(Load_failure::bad_address_fields, "bss_end_addr lies below the loaded part");
    if (h.entry_addr < h.load_addr || h.entry_addr >= bss_end)
        return refuse(Load_failure::entry_outside_image,
                      fmt::format("entry_addr {:#x} is outside {:#x}-{:#x}", h.entry_addr,
                                  h.load_addr, bss_end));
    if (bss_end > four_gib) return refuse(Load_failure::above_4g, "the image reaches above 4 GiB");
    if (!memory.contains(h.load_addr, bss_end - h.load_addr))
        return refuse(Load_failure::outside_ram,
                      fmt::format("the image at {:#x}-{:#x} does not lie inside one RAM "
                                  "region",
                                  h.load_addr, bss_end - 1));
    return Kludge_plan{{h.entry_addr, h.load_addr, bss_end, 0}, file_start, load_size};
}

// Hands out guest memory above the image, inside RAM regions and below 4 GiB, in order.
class Placer {
  public:
    Placer(std::vector<Address_range> ram, u64 start) : ram_(std::move(ram)), cursor_(start) {}

    std::optional<u64> take(u64 size, u64 align)
    {
        u64 const need = std::max<u64>(size, 1);
        for (Address_range const& r : ram_) {
            u64 const at = (std::max(cursor_, r.base) + align - 1) / align * align;
            if (at < r.base || at > r.last() || need - 1 > r.last() - at || at + need > four_gib)
                continue;
            cursor_ = at + need;
            return at;
        }
        return std::nullopt;
    }
    u64 cursor() const { return cursor_; }

  private:
    std::vector<Address_range> ram_;
    u64 cursor_;
};

// Where every piece of boot information goes.
struct Info_plan {
    u64 info, mmap, cmdline, loader_name, module_list;
    std::vector<u64> module_strings, module_data;
    u64 free;
};

std::optional<Info_plan> plan_info(Guest_memory& memory, u64 image_end, Multiboot_options const& o)
{
    std::vector<Address_range> const ram = memory.regions();
    Placer placer{ram, (image_end + page - 1) / page * page};
    Info_plan plan{};
    auto take = [&](u64 size, u64 align, u64& where) {
        std::optional<u64> const at = placer.take(size, align);
        where = at.value_or(0);
        return at.has_value();
    };
    bool ok = take(info_size, 8, plan.info) && take(mmap_entry_size * ram.size(), 8, plan.mmap) &&
              take(o.cmdline.size() + 1, 1, plan.cmdline) &&
              take(o.boot_loader_name.size() + 1, 1, plan.loader_name) &&
              take(module_entry_size * o.modules.size(), 4, plan.module_list);
    for (std::size_t i = 0; ok && i < o.modules.size(); ++i)
        ok = take(o.modules[i].string.size() + 1, 1, plan.module_strings.emplace_back());
    for (std::size_t i = 0; ok && i < o.modules.size(); ++i)
        ok = take(o.modules[i].bytes.size(), page, plan.module_data.emplace_back());
    if (!ok) return std::nullopt;
    plan.free = (placer.cursor() + page - 1) / page * page;
    return plan;
}

void put32(std::vector<u8>& out, u64 offset, u64 value)
{
    for (unsigned i = 0; i < 4; ++i) out[offset + i] = static_cast<u8>(value >> (8 * i));
}

void put64(std::vector<u8>& out, u64 offset, u64 value)
{
    put32(out, offset, value), put32(out, offset + 4, value >> 32);
}

void write_string(Guest_memory& memory, u64 at, std::string const& text)
{
    memory.write(at, {reinterpret_cast<u8 const*>(text.c_str()), text.size() + 1});
}

// mem_lower: RAM from 0 up to 640 KiB; mem_upper: RAM from 1 MiB up to the first hole.
std::pair<u64, u64> memory_sizes_kib(std::vector<Address_range> const& ram)
{
    u64 lower = 0, upper = 0;
    for (Address_range const& r : ram) {
        if (r.base == 0) lower = std::min<u64>(r.size, 0xa0000) / 1024;
        if (r.contains(0x100000))
            upper = std::min<u64>((r.last() + 1 - 0x100000) / 1024, 0xffff'ffff);
    }
    return {lower, upper};
}

void write_info(Guest_memory& memory, Info_plan const& plan, Multiboot_options const& o)
{
    std::vector<Address_range> const ram = memory.regions();
    std::vector<u8> mmap(mmap_entry_size * ram.size());
    for (std::size_t i = 0; i < ram.size(); ++i) {
        put32(mmap, i * mmap_entry_size, mmap_entry_size - 4);
        put64(mmap, i * mmap_entry_size + 4, ram[i].base);
        put64(mmap, i * mmap_entry_size + 12, ram[i].size);
        put32(mmap, i * mmap_entry_size + 20, 1); // available RAM
    }
    memory.write(plan.mmap, mmap);
    std::vector<u8> modules(module_entry_size * o.modules.size());
    for (std::size_t i = 0; i < o.modules.size(); ++i) {
        memory.write(plan.module_data[i], o.modules[i].bytes);
        write_string(memory, plan.module_strings[i], o.modules[i].string);
        put32(modules, i * module_entry_size, plan.module_data[i]);
        put32(modules, i * module_entry_size + 4, plan.module_data[i] + o.modules[i].bytes.size());
        put32(modules, i * module_entry_size + 8, plan.module_strings[i]);
    }
    memory.write(plan.module_list, modules);
    write_string(memory, plan.cmdline, o.cmdline);
    write_string(memory, plan.loader_name, o.boot_loader_name);
    auto const [lower, upper] = memory_sizes_kib(ram);
    std::vector<u8> info(info_size, 0);
    put32(info, 0, info_memory | info_cmdline | info_modules | info_mmap | info_loader_name);
    put32(info, 4, lower), put32(info, 8, upper);
    put32(info, 16, plan.cmdline);
    put32(info, 20, o.modules.size()), put32(info, 24, plan.module_list);
    put32(info, 44, mmap.size()), put32(info, 48, plan.mmap);
    put32(info, 64, plan.loader_name);
    memory.write(plan.info, info);
}

} // namespace

Load_result<Multiboot_boot> load_multiboot(Guest_memory& memory, std::span<u8 const> image,
                                           Multiboot_options const& options)
{
    Load_result<Header> const header = find_header(image);
    if (!header) return header.error();
    Header const& h = header.value();
    if (std::optional<Load_error> error = check_flags(h.flags)) return *error;
    std::optional<Kludge_plan> kludge;
    std::optional<Elf_plan> elf;
    if (h.flags & flag_address_fields) {
        Load_result<Kludge_plan> planned = plan_kludge(memory, image, h);
        if (!planned) return planned.error();
        kludge = planned.value();
    } else {
        Load_result<Elf_plan> planned = plan_elf(memory, image, four_gib);
        if (!planned) return planned.error();
        elf = planned.value();
    }
    Loaded_image const loaded = kludge ? kludge->image : elf->image;
    std::optional<Info_plan> const info = plan_info(memory, loaded.end, options);
    if (!info)
        return refuse(Load_failure::no_room,
                      fmt::format("the boot information and {} modules do not fit in RAM "
                                  "between {:#x} and 4 GiB",
                                  options.modules.size(), loaded.end));
    if (kludge) {
        memory.write(h.load_addr, image.subspan(kludge->file_start, kludge->load_size));
        memory.fill(h.load_addr + kludge->load_size, 0,
                    loaded.end - h.load_addr - kludge->load_size);
    } else {
        write_elf(memory, image, *elf);
    }
    write_info(memory, *info, options);
    return Multiboot_boot{loaded, multiboot_boot_magic, static_cast<u32>(info->info), info->free};
}

} // namespace vmm
