#include "vmm/devices/fw_cfg.hpp"

#include "vmm/state_text.hpp"

#include <fmt/format.h>

namespace vmm {

namespace {

void put_big_endian(std::vector<u8>& out, u64 value, unsigned bytes)
{
    for (unsigned i = bytes; i-- > 0;) out.push_back(static_cast<u8>(value >> (8 * i)));
}

} // namespace

Fw_cfg::Fw_cfg(Bus& bus, u16 base)
{
    bus.add_io({base, 2}, *this, "fw_cfg", Widths{1 | 2});
    set(signature, {'Q', 'E', 'M', 'U'});
    set_u32(id, 0x1); // the traditional interface; no DMA
    rebuild_directory();
}

void Fw_cfg::set(u16 key, std::vector<u8> bytes)
{
    items_[key] = std::move(bytes);
}

void Fw_cfg::set_number(u16 key, u64 value, unsigned bytes)
{
    std::vector<u8> out;
    for (unsigned i = 0; i < bytes; ++i) out.push_back(static_cast<u8>(value >> (8 * i)));
    set(key, std::move(out));
}

void Fw_cfg::set_cmdline(std::string_view cmdline)
{
    std::vector<u8> bytes(cmdline.begin(), cmdline.end());
    bytes.push_back(0);
    set_u32(cmdline_size, static_cast<u32>(bytes.size()));
    set(cmdline_data, std::move(bytes));
}

u16 Fw_cfg::add_file(std::string const& name, std::vector<u8> bytes)
{
    if (name.empty() || name.size() > max_name || name.find('\0') != std::string::npos)
        throw Config_error(
            fmt::format("fw_cfg file name '{}' must have 1 to {} characters", name, max_name));
    if (files_.count(name))
        throw Config_error(fmt::format("fw_cfg file '{}' is already there", name));
    if (files_.size() == max_files)
        throw Config_error("fw_cfg has no selector left for another file");
    u16 const key = static_cast<u16>(first_file + files_.size());
    files_.emplace(name, key);
    set(key, std::move(bytes));
    rebuild_directory();
    return key;
}

void Fw_cfg::rebuild_directory()
{
    std::vector<u8> directory;
    put_big_endian(directory, files_.size(), 4);
    for (auto const& [name, key] : files_) {
        put_big_endian(directory, items_[key].size(), 4);
        put_big_endian(directory, key, 2);
        put_big_endian(directory, 0, 2);
        std::string padded = name;
        padded.resize(max_name + 1, '\0');
        directory.insert(directory.end(), padded.begin(), padded.end());
    }
    set(file_dir, std::move(directory));
}

std::vector<u8> const* Fw_cfg::item(u16 key) const
{
    auto const found = items_.find(key);
    return found == items_.end() ? nullptr : &found->second;
}

u32 Fw_cfg::io_read(u16, unsigned size)
{
    if (size != 1) return ~u32{0};
    std::vector<u8> const* bytes = item(selected_);
    if (bytes == nullptr || offset_ >= bytes->size()) return 0;
    return (*bytes)[offset_++];
}

// Bit 14 of a selector asks to write the item, which nothing here allows, so it selects the
// same item; bit 15 (architecture items, such as 0x8003 for an e820 table) is part of the key.
void Fw_cfg::io_write(u16, unsigned size, u32 value)
{
    if (size != 2) return; // a data write: ignored
    selected_ = static_cast<u16>(value & ~write_channel);
    offset_ = 0;
}

std::string Fw_cfg::describe_state() const
{
    std::vector<u8> const* selected = item(selected_);
    State_line access("access");
    access.hex("selector", selected_, 4).dec("offset", offset_);
    access.dec("size", selected == nullptr ? 0 : selected->size()).dec("items", items_.size());
    std::string text = access.str();
    for (auto const& [name, key] : files_) {
        State_line file("file");
        file.hex("selector", key, 4).dec("size", item(key)->size()).text("name", name);
        text += file.str();
    }
    return text;
}

} // namespace vmm
