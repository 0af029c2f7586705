// Recording on /dev/kvm (label kvm) and replaying without it: every bundled scenario replays as
// recorded; a deterministic scenario records the same trace twice; a changed device model makes
// the replay depart at the first answer it changes, with the field that differs.
#include "kvm/trace/scan.hpp"
#include "nova/vmx.hpp"
#include "require_kvm.hpp"
#include "scenarios/replay.hpp"
#include "scenarios/runner.hpp"
#include "trace_files.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <unistd.h>

namespace {

using trace_test::Temp_file;

scenarios::Run_report record(scenarios::Scenario const& s, std::string const& path, int input = -1)
{
    return scenarios::run_scenario(s, {.console = nullptr, .input = input, .record = path});
}

scenarios::Replay_report replay(std::string const& path, scenarios::Replay_options options = {})
{
    kvm::trace::Reader reader = kvm::trace::Reader::open(path);
    return scenarios::replay_trace(reader, options);
}

std::vector<std::filesystem::path> bundled_scenarios()
{
    std::vector<std::filesystem::path> files;
    for (auto const& entry : std::filesystem::directory_iterator{NOVASIM_SCENARIO_DIR}) {
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

void expect_same_run(scenarios::Run_report const& recorded, scenarios::Replay_report const& r)
{
    EXPECT_FALSE(r.divergence) << kvm::trace::describe(*r.divergence);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.run.exit_code, recorded.exit_code) << r.run.stop;
    ASSERT_EQ(r.run.vms.size(), recorded.vms.size());
    for (std::size_t i = 0; i < recorded.vms.size(); ++i)
        EXPECT_EQ(r.run.vms[i].serial, recorded.vms[i].serial) << recorded.vms[i].name;
}

TEST(TraceRecord, EveryBundledScenarioReplaysAsRecorded)
{
    NOVASIM_REQUIRE_KVM();
    std::vector<std::filesystem::path> files = bundled_scenarios();
    ASSERT_FALSE(files.empty());
    for (std::filesystem::path const& file : files) {
        SCOPED_TRACE(file.string());
        scenarios::Scenario s = scenarios::load_scenario(file.string());
        if (s.machine.time == scenarios::Time_mode::real_time) continue; // needs a terminal
        Temp_file trace{"bundled"};
        scenarios::Run_report recorded = record(s, trace.path());
        scenarios::Replay_report r = replay(trace.path());
        EXPECT_GT(r.events, 0u);
        EXPECT_EQ(r.events, r.summary.events);
        expect_same_run(recorded, r);
    }
}

TEST(TraceRecord, ConsoleInputOfARealTimeRunIsReplayed)
{
    NOVASIM_REQUIRE_KVM();
    scenarios::Scenario s = scenarios::parse_scenario(
        "[machine]\ntime = \"real-time\"\n[[vm]]\nram = \"16M\"\n"
        "image = { kind = \"flat\", guest = \"uart_echo16\" }\n[limits]\ntimeout_s = 20\n",
        "echo.toml");
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    ASSERT_EQ(::write(pipe_fds[1], "abc\n", 4), 4);
    Temp_file trace{"realtime"};
    scenarios::Run_report recorded = record(s, trace.path(), pipe_fds[0]);
    ::close(pipe_fds[0]), ::close(pipe_fds[1]);
    ASSERT_EQ(recorded.exit_code, (3 << 1) | 1) << recorded.stop;
    scenarios::Replay_report r = replay(trace.path());
    EXPECT_EQ(r.summary.by_type[static_cast<std::size_t>(kvm::trace::Record::Type::input)], 4u);
    expect_same_run(recorded, r);
}

// Everything after the header: the records, which must not depend on the host.
std::vector<std::uint8_t> records_of(std::string const& path)
{
    std::vector<std::uint8_t> bytes = trace_test::file_bytes(path);
    std::size_t header = 8 + 9 + (bytes[8] | bytes[9] << 8 | bytes[10] << 16);
    return {bytes.begin() + static_cast<long>(header), bytes.end()};
}

// The first record in which two traces differ, described, with the one before it ("" when
// their records are the same).
std::string first_difference(std::string const& a_path, std::string const& b_path)
{
    if (records_of(a_path) == records_of(b_path)) return "";
    kvm::trace::Reader a = kvm::trace::Reader::open(a_path), b = kvm::trace::Reader::open(b_path);
    std::string before = "(none)";
    for (std::size_t n = 0;; ++n) {
        std::optional<kvm::trace::Record> x = a.next(), y = b.next();
        std::string dx = x ? kvm::trace::describe(*x) : "(end)";
        std::string dy = y ? kvm::trace::describe(*y) : "(end)";
        if (dx != dy || !x || !y)
            return "record " + std::to_string(n) + " after " + before + ":\n  " + dx + "\n  " + dy;
        before = dx;
    }
}

TEST(TraceRecord, TwoRecordingsOfADeterministicScenarioAreIdentical)
{
    NOVASIM_REQUIRE_KVM();
    scenarios::Scenario s = scenarios::load_scenario(NOVASIM_SCENARIO_DIR "/hello.toml");
    Temp_file first{"first"}, second{"second"};
    record(s, first.path());
    record(s, second.path());
    kvm::trace::Header a = kvm::trace::Reader::open(first.path()).header();
    kvm::trace::Header b = kvm::trace::Reader::open(second.path()).header();
    EXPECT_EQ(a.scenario_text, b.scenario_text);
    EXPECT_EQ(a.images, b.images);
    EXPECT_EQ(a.novasim_version, b.novasim_version);
    EXPECT_EQ(first_difference(first.path(), second.path()), "");
}

// Port 0x99 as a changed device model would answer it: like the PC (0xff) `same` times, then
// with another value.
class Changed_device final : public vmm::Io_device {
  public:
    explicit Changed_device(unsigned same) : same_{same} {}
    vmm::u32 io_read(vmm::u16, unsigned) override { return reads_++ < same_ ? 0xff : 0x42; }
    void io_write(vmm::u16, unsigned, vmm::u32) override {}

  private:
    unsigned same_;
    unsigned reads_{0};
};

scenarios::Scenario port_reads()
{
    return scenarios::parse_scenario("[machine]\ncpus = 1\n[[vm]]\nram = \"1M\"\nlapic = false\n"
                                     "image = { kind = \"flat\", guest = \"port_reads16\" }\n",
                                     "port_reads.toml");
}

// The index of the `n`-th (from 0) message for an IN from port 0x99.
std::uint64_t nth_port_read(std::string const& path, unsigned n)
{
    kvm::trace::Reader reader = kvm::trace::Reader::open(path);
    std::uint64_t index = 0;
    while (std::optional<kvm::trace::Record> r = reader.next()) {
        if (r->type != kvm::trace::Record::Type::load) continue;
        bool port_read =
            r->event == nova::vmx::io && nova::vmx::io_qual::port(r->state->qual[0]) == 0x99;
        if (port_read && n-- == 0) return index;
        ++index;
    }
    return ~0ull;
}

TEST(TraceRecord, AChangedDeviceModelDivergesAtItsFirstDifferentAnswer)
{
    NOVASIM_REQUIRE_KVM();
    Temp_file trace{"changed"};
    scenarios::Run_report recorded = record(port_reads(), trace.path());
    ASSERT_EQ(recorded.vms.at(0).exit_status, (0xf8u << 1) | 1) << recorded.stop; // 8 x 0xff
    Changed_device device{2};
    scenarios::Replay_options options;
    options.adjust_vmm = [&device](vmm::Vm& vm) {
        vm.board().bus().add_io({0x99, 1}, device, "changed", {1});
    };
    scenarios::Replay_report r = replay(trace.path(), options);
    ASSERT_TRUE(r.divergence);
    EXPECT_EQ(r.exit_code, scenarios::exit_diverged);
    EXPECT_EQ(r.divergence->event_index, nth_port_read(trace.path(), 2));
    EXPECT_EQ(r.divergence->vcpu, 0u);
    EXPECT_EQ(r.divergence->event, nova::vmx::io);
    ASSERT_FALSE(r.divergence->fields.empty());
    auto rax = std::find_if(r.divergence->fields.begin(), r.divergence->fields.end(),
                            [](auto const& f) { return f.field == "rax"; });
    ASSERT_NE(rax, r.divergence->fields.end()) << kvm::trace::describe(*r.divergence);
    EXPECT_EQ(rax->recorded & 0xff, 0xffu);
    EXPECT_EQ(rax->replayed & 0xff, 0x42u);
    EXPECT_EQ(rax->recorded & ~0xffull, rax->replayed & ~0xffull);
}

TEST(TraceRecord, UntilStopsAtTheEventAndShowsItsMessage)
{
    NOVASIM_REQUIRE_KVM();
    Temp_file trace{"until"};
    record(port_reads(), trace.path());
    std::uint64_t first_read = nth_port_read(trace.path(), 0);
    scenarios::Replay_report r = replay(trace.path(), {.until = first_read});
    EXPECT_FALSE(r.divergence);
    EXPECT_TRUE(r.reached_until);
    EXPECT_EQ(r.events, first_read + 1);
    EXPECT_NE(r.state.find("event #" + std::to_string(first_read) + " 0x1e (I/O)"),
              std::string::npos)
        << r.state;
}

} // namespace
