// The flat and ELF loaders with images built in memory: what they load where, and every reason
// they refuse an image, leaving memory as it was.
#include "vmm/loaders/elf.hpp"
#include "vmm/loaders/flat.hpp"

#include <gtest/gtest.h>

#include "guest_images.hpp"

namespace {

using namespace vmm;
using namespace vmm_test;

struct Loader_test : ::testing::Test {
    Guest_ram ram;
    Loader_test()
    {
        ram.add_owned_region(0, 0xa0000);
        ram.add_owned_region(0x100000, 0x300000); // 1 MiB to 4 MiB
        ram.fill(0x100000, 0xcc, 0x300000);       // so zeroed bss shows
    }
    Bytes memory(u64 gpa, std::size_t size)
    {
        Bytes out(size);
        EXPECT_TRUE(ram.read(gpa, out));
        return out;
    }
    void expect_refused(Load_result<Loaded_image> const& result, Load_failure failure)
    {
        ASSERT_FALSE(result.ok()) << "loaded, but should be refused as " << name(failure);
        EXPECT_EQ(result.error().failure, failure) << result.error().detail;
        EXPECT_FALSE(result.error().detail.empty());
        EXPECT_EQ(memory(0x100000, 16), Bytes(16, 0xcc)) << "a refused image wrote memory";
    }
    Elf_builder two_segments(bool wide)
    {
        Elf_builder elf;
        elf.wide = wide;
        elf.entry = 0x100010;
        elf.segments.push_back({0x100000, 0x100000, pattern(0x40, 1), 0x40});
        elf.segments.push_back(
            {0x200000, 0x200000, pattern(0x20, 9), 0x1000}); // bss after 0x20 bytes
        return elf;
    }
};

TEST_F(Loader_test, FlatBinaryAtAnAddress)
{
    Bytes const image = pattern(300, 3);
    Load_result<Loaded_image> const loaded = load_flat(ram, image, 0x7c00);
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(loaded.value().entry, 0x7c00u);
    EXPECT_EQ(loaded.value().end, 0x7c00u + 300);
    EXPECT_EQ(memory(0x7c00, 300), image);
}

TEST_F(Loader_test, FlatBinaryRefusals)
{
    expect_refused(load_flat(ram, {}, 0x100000), Load_failure::empty_image);
    expect_refused(load_flat(ram, pattern(0x10, 0), 0x9fff8), Load_failure::outside_ram);
    expect_refused(load_flat(ram, pattern(0x10, 0), 0x400000), Load_failure::outside_ram);
}

TEST_F(Loader_test, Elf32SegmentsWithBss)
{
    Load_result<Loaded_image> const loaded = load_elf(ram, two_segments(false).build());
    ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
    EXPECT_EQ(loaded.value().entry, 0x100010u);
    EXPECT_EQ(loaded.value().elf_class, 32u);
    EXPECT_EQ(loaded.value().lowest, 0x100000u);
    EXPECT_EQ(loaded.value().end, 0x201000u);
    EXPECT_EQ(memory(0x100000, 0x40), pattern(0x40, 1));
    EXPECT_EQ(memory(0x200000, 0x20), pattern(0x20, 9));
    EXPECT_EQ(memory(0x200020, 0xfe0), Bytes(0xfe0, 0));
    EXPECT_EQ(memory(0x201000, 4), Bytes(4, 0xcc)); // nothing beyond memsz
}

TEST_F(Loader_test, Elf64AtPhysicalAddressesWithAVirtualEntry)
{
    Elf_builder elf;
    elf.wide = true;
    elf.entry = 0xffff'ffff'8010'0020; // higher-half kernel: linked high, loaded low
    elf.segments.push_back({0x100000, 0xffff'ffff'8010'0000, pattern(0x80, 5), 0x80});
    Load_result<Loaded_image> const loaded = load_elf(ram, elf.build());
    ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
    EXPECT_EQ(loaded.value().entry, 0x100020u);
    EXPECT_EQ(loaded.value().elf_class, 64u);
    EXPECT_EQ(memory(0x100000, 0x80), pattern(0x80, 5));
}

TEST_F(Loader_test, APhysicalEntryIsTakenAsItIs)
{
    Elf_builder elf;
    elf.wide = true;
    elf.entry = 0x200000; // vmlinux: e_entry is physical, p_vaddr is not
    elf.segments.push_back({0x200000, 0xffff'ffff'8100'0000, pattern(0x10, 5), 0x10});
    Load_result<Loaded_image> const loaded = load_elf(ram, elf.build());
    ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
    EXPECT_EQ(loaded.value().entry, 0x200000u);
}

TEST_F(Loader_test, SegmentsOtherThanLoadAndEmptyOnesAreSkipped)
{
    Elf_builder elf = two_segments(false);
    elf.segments.push_back({0x300000, 0x300000, pattern(8, 0), 8, 4}); // PT_NOTE
    elf.segments.push_back({0x900000, 0x900000, {}, 0});               // nothing to load
    ASSERT_TRUE(load_elf(ram, elf.build()).ok());
    EXPECT_EQ(memory(0x300000, 8), Bytes(8, 0xcc));
}

TEST_F(Loader_test, ElfIdentificationRefusals)
{
    Bytes const good = two_segments(false).build();
    expect_refused(load_elf(ram, {}), Load_failure::empty_image);
    Bytes bad = good;
    bad[1] = 'e';
    expect_refused(load_elf(ram, bad), Load_failure::bad_magic);
    expect_refused(load_elf(ram, Bytes(good.begin(), good.begin() + 10)), Load_failure::truncated);
    bad = good, bad[4] = 3;
    expect_refused(load_elf(ram, bad), Load_failure::wrong_class);
    bad = good, bad[5] = 2;
    expect_refused(load_elf(ram, bad), Load_failure::wrong_endianness);
    bad = good, bad[6] = 0;
    expect_refused(load_elf(ram, bad), Load_failure::bad_header);
    expect_refused(load_elf(ram, Bytes(good.begin(), good.begin() + 40)), Load_failure::truncated);
}

TEST_F(Loader_test, ElfTypeAndMachineRefusals)
{
    Elf_builder elf = two_segments(false);
    elf.type = 3; // ET_DYN
    expect_refused(load_elf(ram, elf.build()), Load_failure::wrong_type);
    elf = two_segments(false);
    elf.machine = 62; // x86-64 in a 32-bit file
    expect_refused(load_elf(ram, elf.build()), Load_failure::wrong_machine);
    elf = two_segments(true);
    elf.machine = 3;
    expect_refused(load_elf(ram, elf.build()), Load_failure::wrong_machine);
    elf.machine = 40; // ARM
    expect_refused(load_elf(ram, elf.build()), Load_failure::wrong_machine);
}

TEST_F(Loader_test, ProgramHeaderRefusals)
{
    Bytes bad = two_segments(true).build();
    put(bad, 54, 32, 2); // phentsize of ELF32 in ELF64
    expect_refused(load_elf(ram, bad), Load_failure::bad_header);
    bad = two_segments(true).build();
    put(bad, 56, 513, 2);
    expect_refused(load_elf(ram, bad), Load_failure::absurd_size);
    bad = two_segments(true).build();
    put(bad, 32, bad.size() - 60, 8); // phoff so that the headers run off the end
    expect_refused(load_elf(ram, bad), Load_failure::truncated);
    Elf_builder none = two_segments(false);
    for (Elf_segment_spec& s : none.segments) s.type = 6; // PT_PHDR only
    expect_refused(load_elf(ram, none.build()), Load_failure::no_segments);
}

TEST_F(Loader_test, SegmentRefusals)
{
    Elf_builder elf = two_segments(false);
    elf.segments[1].memsz = 0x10; // smaller than its file data
    expect_refused(load_elf(ram, elf.build()), Load_failure::bad_header);
    Bytes bad = two_segments(false).build();
    put(bad, 52 + 32 + 4, bad.size() - 0x10, 4); // the second segment's data runs off the end
    expect_refused(load_elf(ram, bad), Load_failure::truncated);
    elf = two_segments(true);
    elf.segments[1].memsz = u64{1} << 40;
    expect_refused(load_elf(ram, elf.build()), Load_failure::absurd_size);
    elf = two_segments(true);
    elf.segments[1].paddr = ~u64{0} - 0x10;
    elf.segments[1].vaddr = elf.segments[1].paddr;
    expect_refused(load_elf(ram, elf.build()), Load_failure::absurd_size);
}

TEST_F(Loader_test, PlacementRefusals)
{
    Elf_builder elf = two_segments(false);
    elf.segments[1].paddr = elf.segments[1].vaddr = 0x3ff800; // bss runs past the end of RAM
    expect_refused(load_elf(ram, elf.build()), Load_failure::outside_ram);
    elf = two_segments(false);
    elf.segments[1].paddr = elf.segments[1].vaddr = 0x100020; // into the first segment
    expect_refused(load_elf(ram, elf.build()), Load_failure::overlapping_segments);
    elf = two_segments(false);
    elf.entry = 0x180000;
    expect_refused(load_elf(ram, elf.build()), Load_failure::entry_outside_image);
}

TEST(Load_failure, EveryReasonHasAName)
{
    for (int f = 0; f <= static_cast<int>(Load_failure::no_room); ++f)
        EXPECT_NE(name(static_cast<Load_failure>(f)), "unknown") << f;
}

} // namespace
