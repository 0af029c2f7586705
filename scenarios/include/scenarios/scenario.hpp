// A scenario file (TOML, scenarios/README.md): the machine, its VMs and the run's limits. A
// malformed file is refused with file, line and key (Scenario_error), never half-read.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace scenarios {

enum class Time_mode : std::uint8_t { deterministic, real_time };
enum class Image_kind : std::uint8_t { flat, elf, multiboot };
enum class Cpu_mode : std::uint8_t { real16, protected32, long64 };

struct Image {
    Image_kind kind{Image_kind::flat};
    std::string path;                   // a file, relative to the scenario file; or
    std::string guest;                  // an embedded guest (scenarios/guests), by name
    std::uint64_t load{0x1000};         // flat: where it goes
    Cpu_mode mode{Cpu_mode::real16};    // flat: how it starts
    std::optional<std::uint64_t> entry; // flat: where it starts (default: the load address)
};

struct Module {
    std::string path, guest;
    std::string cmdline;
};

struct Vm_description {
    std::string name{"vm"};
    unsigned vcpus{1};
    std::vector<std::uint32_t> cpus; // the simulated CPU of each vCPU
    std::uint8_t priority{1};
    std::uint64_t quantum_us{10'000};
    std::uint64_t ram{64ull << 20};
    bool lapic{true};
    std::string cmdline;
    Image image;
    std::vector<Module> modules;
};

struct Scenario {
    std::string file; // where it was read from
    std::string text; // the whole file (a trace keeps it)
    struct {
        std::uint32_t cpus{1};
        std::uint64_t memory{0}; // 0: what the VMs need, plus the kernel's region
        Time_mode time{Time_mode::deterministic};
        std::uint32_t tsc_khz{2'000'000};
    } machine;
    std::vector<Vm_description> vms;
    struct {
        double timeout_s{60}; // wall-clock
    } limits;
};

// "FILE:LINE:COLUMN: KEY: what is wrong".
struct Scenario_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

Scenario parse_scenario(std::string_view text, std::string const& file);
Scenario load_scenario(std::string const& file);

} // namespace scenarios
