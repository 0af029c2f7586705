#include "scenario_images.hpp"

#include "scenarios/guest_images.hpp"
#include "vmm/loaders/elf.hpp"
#include "vmm/loaders/flat.hpp"
#include "vmm/loaders/multiboot.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iterator>

namespace scenarios {

namespace {

using Bytes = std::vector<unsigned char>;

std::string image_key(std::string const& path, std::string const& guest)
{
    return guest.empty() ? "file:" + path : "guest:" + guest;
}

// A file named relative to the scenario file, or an embedded guest.
Bytes read_image(Scenario const& s, std::string const& path, std::string const& guest)
{
    if (!guest.empty()) {
        auto bytes = embedded_guest(guest);
        if (!bytes)
            throw Scenario_error(fmt::format("{}: no embedded guest \"{}\"", s.file, guest));
        return Bytes(bytes->begin(), bytes->end());
    }
    std::filesystem::path p = std::filesystem::path(s.file).parent_path() / path;
    std::ifstream in{p, std::ios::binary};
    if (!in) throw Scenario_error(fmt::format("{}: cannot read the image {}", s.file, p.string()));
    return Bytes(std::istreambuf_iterator<char>{in}, {});
}

Bytes const& stored(Image_store const& images, Scenario const& s, std::string const& path,
                    std::string const& guest)
{
    auto it = images.find(image_key(path, guest));
    if (it == images.end())
        throw Scenario_error(
            fmt::format("{}: the image {} is missing", s.file, image_key(path, guest)));
    return it->second;
}

template <typename T>
T const& accepted(vmm::Load_result<T> const& r, Scenario const& s, Vm_description const& vm)
{
    if (!r) {
        throw Scenario_error(fmt::format("{}: the image of {} is refused: {}: {}", s.file, vm.name,
                                         vmm::name(r.error().failure), r.error().detail));
    }
    return r.value();
}

// An identity map of the first 4 GiB in 2 MiB pages at the top of RAM: PML4, PDPT, 4 PDs.
vmm::u64 identity_page_tables(vmm::Guest_memory& ram, Scenario const& s)
{
    vmm::Address_range top = ram.regions().back();
    vmm::u64 base = (top.base + top.size - 6 * 4096) & ~vmm::u64{0xfff};
    auto entry = [&](vmm::u64 at, vmm::u64 value) {
        if (!ram.write(at, std::span<vmm::u8 const>{reinterpret_cast<vmm::u8 const*>(&value), 8}))
            throw Scenario_error(
                fmt::format("{}: no room for the page tables of a 64-bit guest", s.file));
    };
    ram.fill(base, 0, 6 * 4096);
    entry(base, (base + 4096) | 3);
    for (vmm::u64 gib = 0; gib < 4; ++gib) {
        vmm::u64 pd = base + (2 + gib) * 4096;
        entry(base + 4096 + gib * 8, pd | 3);
        for (vmm::u64 i = 0; i < 512; ++i) entry(pd + i * 8, ((gib << 30) + (i << 21)) | 0x83);
    }
    return base;
}

vmm::Boot_state::Mode mode_of(Cpu_mode m)
{
    switch (m) {
    case Cpu_mode::real16:
        return vmm::Boot_state::Mode::real16;
    case Cpu_mode::protected32:
        return vmm::Boot_state::Mode::protected32;
    case Cpu_mode::long64:
        return vmm::Boot_state::Mode::long64;
    }
    return vmm::Boot_state::Mode::real16;
}

vmm::Boot_state load_multiboot(Scenario const& s, Vm_description const& vm, vmm::Guest_memory& ram,
                               Bytes const& bytes, Image_store const& images)
{
    vmm::Multiboot_options options{vm.cmdline, {}, "novasim"};
    for (Module const& m : vm.modules)
        options.modules.push_back({stored(images, s, m.path, m.guest), m.cmdline});
    auto boot = accepted(vmm::load_multiboot(ram, bytes, options), s, vm);
    return vmm::Boot_state{
        vmm::Boot_state::Mode::protected32, boot.image.entry, boot.eax, boot.ebx, 0, 0};
}

} // namespace

Image_store read_images(Scenario const& s)
{
    Image_store images;
    auto add = [&](std::string const& path, std::string const& guest) {
        std::string key = image_key(path, guest);
        if (!images.contains(key)) images.emplace(key, read_image(s, path, guest));
    };
    for (Vm_description const& vm : s.vms) {
        add(vm.image.path, vm.image.guest);
        for (Module const& m : vm.modules) add(m.path, m.guest);
    }
    return images;
}

vmm::Boot_state load_image(Scenario const& s, Vm_description const& vm, vmm::Guest_memory& ram,
                           Image_store const& images)
{
    Image const& image = vm.image;
    Bytes const& bytes = stored(images, s, image.path, image.guest);
    vmm::Boot_state boot;
    switch (image.kind) {
    case Image_kind::flat: {
        auto loaded = accepted(vmm::load_flat(ram, bytes, image.load), s, vm);
        boot.mode = mode_of(image.mode);
        boot.entry = image.entry.value_or(loaded.entry);
        break;
    }
    case Image_kind::elf: {
        auto loaded = accepted(vmm::load_elf(ram, bytes), s, vm);
        boot.mode = loaded.elf_class == 64 ? vmm::Boot_state::Mode::long64
                                           : vmm::Boot_state::Mode::protected32;
        boot.entry = loaded.entry;
        break;
    }
    case Image_kind::multiboot:
        return load_multiboot(s, vm, ram, bytes, images);
    }
    if (boot.mode == vmm::Boot_state::Mode::long64) boot.page_tables = identity_page_tables(ram, s);
    return boot;
}

} // namespace scenarios
