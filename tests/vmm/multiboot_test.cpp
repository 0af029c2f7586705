// Multiboot v1 with kernels built in memory: an a.out-kludge kernel, an ELF kernel as
// kvm-unit-tests builds them, the information structure read back from guest memory, and every
// refusal.
#include "vmm/loaders/multiboot.hpp"

#include <gtest/gtest.h>

#include "guest_images.hpp"

namespace {

using namespace vmm;
using namespace vmm_test;

constexpr u32 address_fields = 1u << 16;

struct Multiboot_test : ::testing::Test {
    Guest_ram ram;
    Bytes module_a = pattern(5000, 11), module_b = pattern(10, 22);
    Multiboot_options options{"console=ttyS0 quiet", {}, "novasim"};

    Multiboot_test()
    {
        ram.add_owned_region(0, 0xa0000);
        ram.add_owned_region(0x100000, 0xf00000); // up to 16 MiB
        options.modules = {{module_a, "environ"}, {module_b, "initrd arg=1"}};
    }
    u32 word(u64 gpa)
    {
        u8 b[4];
        EXPECT_TRUE(ram.read(gpa, b));
        return static_cast<u32>(b[0] | b[1] << 8 | b[2] << 16 | static_cast<u32>(b[3]) << 24);
    }
    u64 quad(u64 gpa) { return word(gpa) | u64{word(gpa + 4)} << 32; }
    std::string string_at(u64 gpa)
    {
        std::string s;
        for (u8 c = 0; ram.read(gpa++, {&c, 1}) && c != 0;) s.push_back(static_cast<char>(c));
        return s;
    }
    Bytes memory(u64 gpa, std::size_t size)
    {
        Bytes out(size);
        EXPECT_TRUE(ram.read(gpa, out));
        return out;
    }
    // A kernel loaded at 1 MiB by its address fields: header at file offset 0x40, 0x200 bytes of
    // file, bss up to 0x102000, entry at 0x100080.
    Bytes kludge_kernel(u32 bss_end = 0x102000, u32 entry = 0x100080,
                        u32 flags = address_fields | 3)
    {
        Bytes image = pattern(0x200, 7);
        Bytes const header = multiboot_header(flags, 0x100040, 0x100000, 0, bss_end, entry);
        std::copy(header.begin(), header.end(), image.begin() + 0x40);
        return image;
    }
    // kvm-unit-tests: an ELF32 linked at 4 MiB with the header (flags 0) right after the headers.
    Bytes elf_kernel(u64 at = 0x400000, bool wide = false)
    {
        Elf_builder elf;
        elf.wide = wide;
        elf.entry = at + 0x10;
        elf.prefix = multiboot_header(0);
        elf.segments.push_back({at, at, pattern(0x100, 3), 0x3000});
        return elf.build();
    }
    void expect_refused(Bytes const& image, Load_failure failure)
    {
        ram.fill(0x100000, 0xcc, 0x10000);
        Load_result<Multiboot_boot> const boot = load_multiboot(ram, image, options);
        ASSERT_FALSE(boot.ok()) << "loaded, but should be refused as " << name(failure);
        EXPECT_EQ(boot.error().failure, failure) << boot.error().detail;
        EXPECT_EQ(memory(0x100000, 0x10000), Bytes(0x10000, 0xcc))
            << "a refused image wrote memory";
    }
};

TEST_F(Multiboot_test, AoutKludgeKernelIsLoadedByItsAddressFields)
{
    ram.fill(0x100000, 0xcc, 0x3000);
    Bytes const image = kludge_kernel();
    Load_result<Multiboot_boot> const boot = load_multiboot(ram, image, options);
    ASSERT_TRUE(boot.ok()) << boot.error().detail;
    EXPECT_EQ(boot.value().eax, 0x2bad'b002u);
    EXPECT_EQ(boot.value().image.entry, 0x100080u);
    EXPECT_EQ(boot.value().image.end, 0x102000u);
    EXPECT_EQ(memory(0x100000, 0x200), image);
    EXPECT_EQ(memory(0x100200, 0x1e00), Bytes(0x1e00, 0)); // bss zeroed
    EXPECT_GE(boot.value().ebx, 0x102000u);                // information above the kernel
}

TEST_F(Multiboot_test, TheInformationStructureDescribesMemoryCommandLineAndModules)
{
    Load_result<Multiboot_boot> const boot = load_multiboot(ram, kludge_kernel(), options);
    ASSERT_TRUE(boot.ok()) << boot.error().detail;
    u64 const mbi = boot.value().ebx;
    EXPECT_EQ(word(mbi), 0x24du); // memory, cmdline, modules, memory map, boot loader name
    EXPECT_EQ(word(mbi + 4), 640u);
    EXPECT_EQ(word(mbi + 8), 15u * 1024);
    EXPECT_EQ(string_at(word(mbi + 16)), "console=ttyS0 quiet");
    EXPECT_EQ(string_at(word(mbi + 64)), "novasim");
    ASSERT_EQ(word(mbi + 44), 2u * 24);
    u64 const mmap = word(mbi + 48);
    EXPECT_EQ(word(mmap), 20u);
    EXPECT_EQ(quad(mmap + 4), 0u);
    EXPECT_EQ(quad(mmap + 12), 0xa0000u);
    EXPECT_EQ(word(mmap + 20), 1u);
    EXPECT_EQ(quad(mmap + 24 + 4), 0x100000u);
    EXPECT_EQ(quad(mmap + 24 + 12), 0xf00000u);
    ASSERT_EQ(word(mbi + 20), 2u);
    u64 const mods = word(mbi + 24);
    u32 const a_start = word(mods), a_end = word(mods + 4);
    u32 const b_start = word(mods + 16), b_end = word(mods + 20);
    EXPECT_EQ(a_start % 4096, 0u);
    EXPECT_EQ(b_start % 4096, 0u);
    EXPECT_EQ(a_end - a_start, module_a.size());
    EXPECT_EQ(b_end - b_start, module_b.size());
    EXPECT_GE(b_start, a_end);
    EXPECT_EQ(memory(a_start, module_a.size()), module_a);
    EXPECT_EQ(memory(b_start, module_b.size()), module_b);
    EXPECT_EQ(string_at(word(mods + 8)), "environ");
    EXPECT_EQ(string_at(word(mods + 24)), "initrd arg=1");
    EXPECT_GE(boot.value().free, b_end);
    EXPECT_EQ(boot.value().free % 4096, 0u);
}

TEST_F(Multiboot_test, ElfKernelAsKvmUnitTestsBuildsIt)
{
    Load_result<Multiboot_boot> const boot = load_multiboot(ram, elf_kernel(), options);
    ASSERT_TRUE(boot.ok()) << boot.error().detail;
    EXPECT_EQ(boot.value().image.entry, 0x400010u);
    EXPECT_EQ(boot.value().image.elf_class, 32u);
    EXPECT_EQ(memory(0x400000, 0x100), pattern(0x100, 3));
    EXPECT_GE(boot.value().ebx, 0x403000u);
    EXPECT_EQ(load_multiboot(ram, elf_kernel(0x400000, true), options).value().image.elf_class,
              64u);
}

TEST_F(Multiboot_test, WithoutModulesOrCommandLine)
{
    Load_result<Multiboot_boot> const boot = load_multiboot(ram, elf_kernel(), Multiboot_options{});
    ASSERT_TRUE(boot.ok()) << boot.error().detail;
    EXPECT_EQ(word(boot.value().ebx + 20), 0u);
    EXPECT_EQ(string_at(word(boot.value().ebx + 16)), "");
}

TEST_F(Multiboot_test, HeaderRefusals)
{
    expect_refused({}, Load_failure::empty_image);
    expect_refused(pattern(9000, 1), Load_failure::no_multiboot_header);
    Bytes late = pattern(9000, 1);
    Bytes const header = multiboot_header(0);
    std::copy(header.begin(), header.end(), late.begin() + 8192 - 8); // not wholly inside 8 KiB
    expect_refused(late, Load_failure::no_multiboot_header);
    Bytes broken = kludge_kernel();
    put(broken, 0x40 + 8, 0x1234, 4);
    expect_refused(broken, Load_failure::bad_checksum);
    expect_refused(kludge_kernel(0x102000, 0x100080, address_fields | 4),
                   Load_failure::unsupported_flags);
    expect_refused(kludge_kernel(0x102000, 0x100080, address_fields | 0x20),
                   Load_failure::unsupported_flags);
    EXPECT_TRUE(
        load_multiboot(ram, kludge_kernel(0x102000, 0x100080, address_fields | 0x4'0003), options)
            .ok())
        << "optional flags (16-31) must not be refused";
}

TEST_F(Multiboot_test, AddressFieldRefusals)
{
    auto kernel = [&](u32 header_addr, u32 load_addr, u32 load_end, u32 bss_end, u32 entry) {
        Bytes image = pattern(0x200, 7);
        Bytes const header =
            multiboot_header(address_fields, header_addr, load_addr, load_end, bss_end, entry);
        std::copy(header.begin(), header.end(), image.begin() + 0x40);
        return image;
    };
    expect_refused(kernel(0x100000, 0x100040, 0, 0, 0x100050), Load_failure::bad_address_fields);
    expect_refused(kernel(0x100100, 0x100000, 0, 0, 0x100010),
                   Load_failure::bad_address_fields); // before the file
    expect_refused(kernel(0x100040, 0x100000, 0xff000, 0, 0x100010),
                   Load_failure::bad_address_fields);
    expect_refused(kernel(0x100040, 0x100000, 0x101000, 0, 0x100010), Load_failure::truncated);
    expect_refused(kernel(0x100040, 0x100000, 0x100100, 0x100080, 0x100010),
                   Load_failure::bad_address_fields);
    expect_refused(kernel(0x100040, 0x100000, 0, 0, 0x100200), Load_failure::entry_outside_image);
    expect_refused(kernel(0xa0040, 0xa0000, 0, 0, 0xa0010),
                   Load_failure::outside_ram); // the VGA hole
}

TEST_F(Multiboot_test, ElfRefusalsComeThroughAndNothingGoesAbove4Gib)
{
    Bytes wrong = elf_kernel();
    put(wrong, 18, 62, 2);
    expect_refused(wrong, Load_failure::wrong_machine);
    ram.add_owned_region(u64{1} << 32, 0x10000);
    expect_refused(elf_kernel(u64{1} << 32, true), Load_failure::above_4g);
}

TEST_F(Multiboot_test, ModulesThatDoNotFitAreRefusedBeforeAnythingIsWritten)
{
    Guest_ram small;
    small.add_owned_region(0x100000, 0x10000); // 64 KiB at 1 MiB, the kernel takes 8 of them
    small.fill(0x100000, 0xcc, 0x10000);
    Bytes const module = pattern(0xe000, 1);
    options.modules = {{module, "one page too many"}};
    Load_result<Multiboot_boot> const boot = load_multiboot(small, kludge_kernel(), options);
    ASSERT_FALSE(boot.ok());
    EXPECT_EQ(boot.error().failure, Load_failure::no_room) << boot.error().detail;
    Bytes untouched(0x10000);
    ASSERT_TRUE(small.read(0x100000, untouched));
    EXPECT_EQ(untouched, Bytes(0x10000, 0xcc));
    options.modules = {{std::span<u8 const>(module).first(0xc000), "fits"}};
    EXPECT_TRUE(load_multiboot(small, kludge_kernel(), options).ok());
}

} // namespace
