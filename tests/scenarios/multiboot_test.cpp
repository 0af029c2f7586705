// The Multiboot scenarios (label kvm): the multiboot_hello guest prints what the loader handed
// it (boot loader name, command line, lower and upper memory, modules, memory map) and exits
// with the number of memory-map entries. hello.toml is the README's bundled scenario;
// multiboot_modules.toml adds a module from a file and one from an embedded guest, whose
// placement and bytes the guest reports back.
#include "scenario_run.hpp"
#include "scenarios/guest_images.hpp"

#include <fstream>
#include <iterator>
#include <numeric>
#include <regex>
#include <vector>

namespace {

using namespace scenario_test;

using MultibootHello = Scenario_suite<"hello.toml">;

TEST_F(MultibootHello, TheGuestPrintsItsBootInformationAndExitsWithTheMapEntries)
{
    expect_exit(1);
    EXPECT_EQ(vm().serial, "Hello from a Multiboot guest on novasim\n"
                           "boot loader: novasim\n"
                           "command line: console=ttyS0 hello\n"
                           "memory: lower 640 KiB, upper 15360 KiB\n"
                           "memory map: base 0x0000000000000000 length 0x0000000001000000 type 1\n"
                           "bye\n");
}

// What the guest says of one module.
struct Module_line {
    std::uint32_t start, end, sum;
    std::string string;
};

std::vector<Module_line> module_lines(std::string const& serial)
{
    std::regex const line{"module [0-9]+: 0x([0-9a-f]{8})-0x([0-9a-f]{8}) sum 0x([0-9a-f]{8}) "
                          "string '([^']*)'\n"};
    std::vector<Module_line> out;
    for (std::sregex_iterator it{serial.begin(), serial.end(), line}, end; it != end; ++it) {
        auto hex = [&](int i) { return static_cast<std::uint32_t>(std::stoul((*it)[i], 0, 16)); };
        out.push_back({hex(1), hex(2), hex(3), (*it)[4]});
    }
    return out;
}

std::vector<unsigned char> file_bytes(std::string const& path)
{
    std::ifstream in{path, std::ios::binary};
    return {std::istreambuf_iterator<char>{in}, {}};
}

std::uint32_t byte_sum(std::span<unsigned char const> bytes)
{
    return std::accumulate(bytes.begin(), bytes.end(), std::uint32_t{0});
}

using MultibootModules = Scenario_suite<"multiboot_modules.toml">;

TEST_F(MultibootModules, TheGuestSeesTheCommandLineAndTheMemoryOf8MiB)
{
    expect_exit(1);
    std::string const& serial = vm().serial;
    EXPECT_NE(serial.find("command line: console=ttyS0 modules=2\n"), std::string::npos) << serial;
    EXPECT_NE(serial.find("memory: lower 640 KiB, upper 7168 KiB\n"), std::string::npos) << serial;
    EXPECT_NE(serial.find("memory map: base 0x0000000000000000 length 0x0000000000800000 type 1\n"),
              std::string::npos)
        << serial;
    EXPECT_EQ(serial.find("FAIL"), std::string::npos) << serial;
}

// Each module lies on its own pages above the kernel (at 1 MiB), inside RAM, with its bytes
// and its string as the scenario gave them.
TEST_F(MultibootModules, EachModuleArrivesWholeOnItsOwnPagesWithItsString)
{
    std::vector<unsigned char> const text = file_bytes(scenario_file("multiboot_module.txt"));
    auto const guest = scenarios::embedded_guest("io_loop16");
    ASSERT_FALSE(text.empty());
    ASSERT_TRUE(guest.has_value());
    std::vector<Module_line> const modules = module_lines(vm().serial);
    ASSERT_EQ(modules.size(), 2u) << vm().serial;
    EXPECT_EQ(modules[0].string, "text module");
    EXPECT_EQ(modules[0].end - modules[0].start, text.size());
    EXPECT_EQ(modules[0].sum, byte_sum(text));
    EXPECT_EQ(modules[1].string, "io_loop16 --binary");
    EXPECT_EQ(modules[1].end - modules[1].start, guest->size());
    EXPECT_EQ(modules[1].sum, byte_sum(*guest));
    EXPECT_GT(modules[0].start, 0x100000u);
    EXPECT_GE(modules[1].start, modules[0].end);
    EXPECT_LE(modules[1].end, 8u << 20);
}

} // namespace
