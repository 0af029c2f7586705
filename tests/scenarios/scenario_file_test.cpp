// Scenario files (label unit, no KVM): what parse_scenario reads from a well-formed file, and
// that every malformed one is refused with "FILE:LINE:COLUMN: KEY: what is wrong", the place
// and the key of the first thing that is wrong. The bundled scenarios/*.toml must all parse.
#include "scenarios/scenario.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace {

using scenarios::parse_scenario;
using scenarios::Scenario;
using scenarios::Scenario_error;

// What parse_scenario says of `text` as "t.toml".
std::string error_of(std::string const& text)
{
    try {
        parse_scenario(text, "t.toml");
    } catch (Scenario_error const& e) {
        return e.what();
    }
    return "(accepted)";
}

// A VM that is complete but for what a test adds to it.
std::string const image = "image = { guest = \"pit_ticks\" }\n";

TEST(ScenarioFile, AWellFormedFileIsReadWithEveryKey)
{
    Scenario s = parse_scenario(R"([machine]
cpus = 2
memory = "512M"
time = "real-time"
tsc_khz = 3000000

[[vm]]
name = "guest"
vcpus = 2
cpus = [1, 0]
priority = 5
quantum_us = 2000
ram = "16M"
lapic = false
cmdline = "console=ttyS0"
image = { kind = "flat", guest = "smp", load = 0x2000, mode = "protected32", entry = 0x2010 }
modules = [{ path = "m.bin", cmdline = "one" }, { guest = "io_loop16" }]

[limits]
timeout_s = 2.5
)",
                                "t.toml");
    EXPECT_EQ(s.file, "t.toml");
    EXPECT_EQ(s.machine.cpus, 2u);
    EXPECT_EQ(s.machine.memory, 512ull << 20);
    EXPECT_EQ(s.machine.time, scenarios::Time_mode::real_time);
    EXPECT_EQ(s.machine.tsc_khz, 3'000'000u);
    ASSERT_EQ(s.vms.size(), 1u);
    scenarios::Vm_description const& vm = s.vms[0];
    EXPECT_EQ(vm.name, "guest");
    EXPECT_EQ(vm.vcpus, 2u);
    EXPECT_EQ(vm.cpus, (std::vector<std::uint32_t>{1, 0}));
    EXPECT_EQ(vm.priority, 5u);
    EXPECT_EQ(vm.quantum_us, 2000u);
    EXPECT_EQ(vm.ram, 16ull << 20);
    EXPECT_FALSE(vm.lapic);
    EXPECT_EQ(vm.cmdline, "console=ttyS0");
    EXPECT_EQ(vm.image.guest, "smp");
    EXPECT_EQ(vm.image.load, 0x2000u);
    EXPECT_EQ(vm.image.mode, scenarios::Cpu_mode::protected32);
    EXPECT_EQ(vm.image.entry, 0x2010u);
    ASSERT_EQ(vm.modules.size(), 2u);
    EXPECT_EQ(vm.modules[0].path, "m.bin");
    EXPECT_EQ(vm.modules[0].cmdline, "one");
    EXPECT_EQ(vm.modules[1].guest, "io_loop16");
    EXPECT_DOUBLE_EQ(s.limits.timeout_s, 2.5);
}

TEST(ScenarioFile, WhatAFileLeavesOutHasItsDefault)
{
    Scenario s = parse_scenario("[[vm]]\n" + image, "t.toml");
    EXPECT_EQ(s.machine.cpus, 1u);
    EXPECT_EQ(s.machine.time, scenarios::Time_mode::deterministic);
    ASSERT_EQ(s.vms.size(), 1u);
    EXPECT_EQ(s.vms[0].vcpus, 1u);
    EXPECT_EQ(s.vms[0].cpus, (std::vector<std::uint32_t>{0}));
    EXPECT_EQ(s.vms[0].ram, 64ull << 20);
    EXPECT_EQ(s.vms[0].image.kind, scenarios::Image_kind::flat);
    EXPECT_EQ(s.vms[0].image.mode, scenarios::Cpu_mode::real16);
    EXPECT_FALSE(s.vms[0].image.entry);
    EXPECT_GT(s.limits.timeout_s, 0);
}

TEST(ScenarioFile, MalformedTomlIsRefusedWithItsPlace)
{
    for (std::string text : {"[machine\ncpus = 1\n", "[[vm]]\nname = \"a\n"}) {
        std::string const line = text.starts_with("[machine") ? "t.toml:1:" : "t.toml:2:";
        EXPECT_EQ(error_of(text).rfind(line, 0), 0u) << error_of(text);
    }
}

// One malformed file and the error it must get: its place and key, and what is wrong.
struct Refusal {
    std::string name; // the test's name
    std::string text;
    std::string error;
};

std::string const two_cpus = "[machine]\ncpus = 2\n[[vm]]\nvcpus = 2\n" + image;

std::vector<Refusal> const refusals = {
    // values of the wrong type
    {"IntegerGivenAsString", "[[vm]]\nvcpus = \"two\"\n" + image,
     "t.toml:2:9: vm[0].vcpus: expected an integer"},
    {"BooleanGivenAsInteger", "[[vm]]\nlapic = 1\n" + image,
     "t.toml:2:9: vm[0].lapic: expected true or false"},
    {"StringGivenAsInteger", "[[vm]]\nname = 7\n" + image,
     "t.toml:2:8: vm[0].name: expected a string"},
    {"TableGivenAsInteger", "machine = 3\n[[vm]]\n" + image,
     "t.toml:1:11: machine: expected a table"},
    {"ImageGivenAsString", "[[vm]]\nimage = \"pit_ticks\"\n",
     "t.toml:2:9: vm[0].image: expected a table"},
    {"TimeoutGivenAsString", "[[vm]]\n" + image + "[limits]\ntimeout_s = \"10\"\n",
     "t.toml:4:13: limits.timeout_s: expected a positive number of seconds"},
    // keys that are not known: a typo must not mean a default
    {"UnknownMachineKey", "[machine]\ncpu = 2\n[[vm]]\n" + image,
     "t.toml:2:7: machine.cpu: not a key of this table"},
    {"UnknownVmKey", "[[vm]]\nvcpu = 2\n" + image,
     "t.toml:2:8: vm[0].vcpu: not a key of this table"},
    {"UnknownImageKey", "[[vm]]\nimage = { guest = \"pit_ticks\", lod = 1 }\n",
     "t.toml:2:38: vm[0].image.lod: not a key of this table"},
    {"UnknownTable", "[[vm]]\n" + image + "[limit]\ntimeout_s = 1\n",
     "t.toml:3:1: limit: not a key of this table"},
    // the image
    {"MissingImage", "[[vm]]\nname = \"a\"\n", "t.toml:1:1: vm[0].image: every VM needs an image"},
    {"ImageWithoutSource", "[[vm]]\nimage = { kind = \"flat\" }\n",
     "t.toml:2:9: vm[0].image: needs exactly one of path and guest"},
    {"ImageWithTwoSources", "[[vm]]\nimage = { path = \"a.bin\", guest = \"b\" }\n",
     "t.toml:2:9: vm[0].image: needs exactly one of path and guest"},
    {"UnknownImageKind", "[[vm]]\nimage = { guest = \"b\", kind = \"bzimage\" }\n",
     "t.toml:2:31: vm[0].image.kind: expected \"flat\", \"elf\" or \"multiboot\""},
    {"UnknownCpuMode", "[[vm]]\nimage = { guest = \"b\", mode = \"v86\" }\n",
     "t.toml:2:31: vm[0].image.mode: expected \"real16\", \"protected32\" or \"long64\""},
    // sizes
    {"SizeWithUnknownUnit", "[[vm]]\nram = \"64X\"\n" + image,
     "t.toml:2:7: vm[0].ram: expected a size like \"64M\", got \"64X\""},
    {"SizeWithoutNumber", "[[vm]]\nram = \"M\"\n" + image,
     "t.toml:2:7: vm[0].ram: expected a size like \"64M\", got \"M\""},
    {"RamBelowOneMiB", "[[vm]]\nram = \"512K\"\n" + image,
     "t.toml:2:7: vm[0].ram: expected 1M..3G"},
    {"RamIntoTheMmioHole", "[[vm]]\nram = \"4G\"\n" + image,
     "t.toml:2:7: vm[0].ram: expected 1M..3G"},
    {"ZeroBytes", "[[vm]]\nram = 0\n" + image,
     "t.toml:2:7: vm[0].ram: expected 1..9223372036854775807, got 0"},
    {"SizeGivenAsBoolean", "[machine]\nmemory = true\n[[vm]]\n" + image,
     "t.toml:2:10: machine.memory: expected a size (bytes, or \"64M\")"},
    // CPU numbers
    {"CpuBeyondTheMachine", two_cpus + "cpus = [0, 2]\n",
     "t.toml:6:12: vm[0].cpus[1]: expected a CPU 0..1"},
    {"NegativeCpu", two_cpus + "cpus = [0, -1]\n",
     "t.toml:6:12: vm[0].cpus[1]: expected a CPU 0..1"},
    {"CpuGivenAsString", two_cpus + "cpus = [0, \"1\"]\n",
     "t.toml:6:12: vm[0].cpus[1]: expected a CPU 0..1"},
    {"FewerCpusThanVcpus", two_cpus + "cpus = [0]\n",
     "t.toml:6:8: vm[0].cpus: expected an array of 2 CPU numbers, one per vCPU"},
    {"MachineWithoutCpus", "[machine]\ncpus = 0\n[[vm]]\n" + image,
     "t.toml:2:8: machine.cpus: expected 1..64, got 0"},
    {"TooManyVcpus", "[[vm]]\nvcpus = 65\n" + image,
     "t.toml:2:9: vm[0].vcpus: expected 1..64, got 65"},
    // the VMs
    {"NoVm", "[machine]\ncpus = 1\n", "t.toml:1:1: vm: a scenario needs at least one [[vm]]"},
    {"VmAsOneTable", "[vm]\n" + image, "t.toml:1:1: vm: expected [[vm]] tables, not one [vm]"},
    {"VmAsIntegers", "vm = [1]\n", "t.toml:1:7: vm[0]: expected a table"},
    {"ErrorInTheSecondVm", "[[vm]]\n" + image + "[[vm]]\n" + image + "priority = 0\n",
     "t.toml:5:12: vm[1].priority: expected 1..126, got 0"},
    // modules
    {"ModulesAsOneTable", "[[vm]]\n" + image + "modules = { path = \"m\" }\n",
     "t.toml:3:11: vm[0].modules: expected an array of tables"},
    {"ModuleWithoutSource", "[[vm]]\n" + image + "modules = [{ cmdline = \"x\" }]\n",
     "t.toml:3:12: vm[0].modules[0]: needs exactly one of path and guest"},
    {"UnknownModuleKey", "[[vm]]\n" + image + "modules = [{ guest = \"g\", args = \"x\" }]\n",
     "t.toml:3:34: vm[0].modules[0].args: not a key of this table"},
    // time
    {"UnknownTimeMode", "[machine]\ntime = \"fast\"\n[[vm]]\n" + image,
     "t.toml:2:8: machine.time: expected \"deterministic\" or \"real-time\""},
    {"NegativeTimeout", "[[vm]]\n" + image + "[limits]\ntimeout_s = -1\n",
     "t.toml:4:13: limits.timeout_s: expected a positive number of seconds"},
};

class ScenarioRefusal : public ::testing::TestWithParam<Refusal> {};

TEST_P(ScenarioRefusal, NamesFileLineColumnAndKey)
{
    EXPECT_EQ(error_of(GetParam().text), GetParam().error) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(ScenarioFile, ScenarioRefusal, ::testing::ValuesIn(refusals),
                         [](auto const& row) { return row.param.name; });

TEST(ScenarioFile, AFileThatCannotBeReadIsNamed)
{
    try {
        scenarios::load_scenario("/nonexistent/s.toml");
        ADD_FAILURE() << "a missing file was read";
    } catch (Scenario_error const& e) {
        EXPECT_STREQ(e.what(), "/nonexistent/s.toml: cannot read the file");
    }
}

TEST(ScenarioFile, EveryBundledScenarioParses)
{
    unsigned files = 0;
    for (auto const& entry : std::filesystem::directory_iterator{NOVASIM_SCENARIO_DIR}) {
        if (entry.path().extension() != ".toml") continue;
        ++files;
        EXPECT_NO_THROW(scenarios::load_scenario(entry.path().string())) << entry.path();
    }
    EXPECT_GE(files, 5u);
}

} // namespace
