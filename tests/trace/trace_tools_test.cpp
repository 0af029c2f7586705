// The tools of `novasim trace` (tools/trace) on the sample traces of trace_samples.hpp: what
// info, dump, stats and the Chrome export print, the dump's filters, the event names, JSON
// strings, and refusals with the byte offset.
#include "nova/platform.hpp"
#include "nova/vmx.hpp"
#include "trace/chrome_export.hpp"
#include "trace/event_names.hpp"
#include "trace/json_text.hpp"
#include "trace/trace_dump.hpp"
#include "trace/trace_info.hpp"
#include "trace/trace_stats.hpp"
#include "trace_samples.hpp"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sstream>

namespace {

using namespace trace_tools;
using kvm::trace::Format_error;

std::vector<std::uint8_t> sample_bytes()
{
    std::string path = trace_samples::temp_path("tools_sample");
    trace_samples::write_sample_trace(path);
    std::vector<std::uint8_t> bytes = trace_samples::file_bytes(path);
    std::remove(path.c_str());
    return bytes;
}

Opened_trace sample()
{
    return open_trace(sample_bytes());
}

std::vector<std::string> lines_of(std::string const& text)
{
    std::vector<std::string> lines;
    std::istringstream in{text};
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string dumped(Dump_filter const& filter)
{
    Opened_trace t = sample();
    std::ostringstream out;
    dump(t.reader, filter, out);
    return out.str();
}

bool has(std::string const& text, std::string const& part)
{
    return text.find(part) != std::string::npos;
}

TEST(TraceEventNames, KeywordsComeFromTheKernelsNames)
{
    EXPECT_EQ(event_keyword(nova::vmx::io), "io");
    EXPECT_EQ(event_keyword(nova::vmx::ept_violation), "ept_violation");
    EXPECT_EQ(event_keyword(nova::vmx::tpr_below_threshold), "tpr_below_threshold");
    EXPECT_EQ(event_keyword(0x77), "");
    for (nova::mword e = 0; e < 256; ++e) {
        if (nova::vmx::event_name(e) == nullptr) continue;
        EXPECT_EQ(parse_event(event_keyword(e)), e) << event_keyword(e);
    }
}

TEST(TraceEventNames, NumbersAndNamesParse)
{
    EXPECT_EQ(parse_event("0x1e"), nova::vmx::io);
    EXPECT_EQ(parse_event("30"), nova::vmx::io);
    EXPECT_EQ(parse_event("IO"), nova::vmx::io);
    EXPECT_EQ(parse_event("hlt"), nova::vmx::hlt);
    EXPECT_EQ(parse_event("0XFE"), nova::vmx::startup);
    EXPECT_EQ(parse_event("none"), nova::Vm_exit::none);
    for (char const* bad : {"0x77", "bogus", "", "0x", "30x", "-1", "256", "i/o"})
        EXPECT_FALSE(parse_event(bad)) << bad;
    EXPECT_TRUE(has(event_keywords(), "io, rdmsr"));
}

TEST(TraceJson, StringsAreEscapedAndUtf8)
{
    EXPECT_EQ(json_quoted("plain"), "\"plain\"");
    EXPECT_EQ(json_quoted("a \"b\" \\ c\n\t\x01"), R"("a \"b\" \\ c\n\t\u0001")");
    EXPECT_EQ(json_quoted("µs"), "\"µs\"");
    EXPECT_EQ(json_quoted("\xff"
                          "a\xc3"),
              R"("\ufffda\ufffd")");
    EXPECT_EQ(json_quoted("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")"); // a UTF-16 surrogate
}

TEST(TraceInfo, TheHeaderAndTheCounts)
{
    Opened_trace t = sample();
    std::ostringstream out;
    print_info("sample.trace", t, out);
    std::string info = out.str();
    EXPECT_TRUE(has(info, "format        version 1\n")) << info;
    EXPECT_TRUE(has(info, "novasim       0.1.0\n")) << info;
    EXPECT_TRUE(has(info, "scenario      sample.toml (")) << info;
    EXPECT_TRUE(has(info, ": 2 CPUs, TSC 1000000 kHz\n")) << info;
    EXPECT_TRUE(has(info, "guest:io_loop16          3 bytes\n")) << info;
    EXPECT_TRUE(has(info, "host-dependent")) << info;
    EXPECT_TRUE(has(info, "host_cpu    Sample CPU @ 1 GHz\n")) << info;
    EXPECT_TRUE(has(info, "records       23: vcpu_create 2, run 4, load 5, store 5, input 1, "
                          "dispatch 5, end 1\n"))
        << info;
    EXPECT_TRUE(has(info, "events        5 (")) << info;
    EXPECT_TRUE(has(info, "vcpus         2\n")) << info;
    std::string bytes = fmt::format("bytes         {} ({:.1f} per event)\n", t.summary.bytes,
                                    t.summary.bytes / 5.0);
    EXPECT_TRUE(has(info, bytes)) << info;
    EXPECT_TRUE(has(info, "tail          complete\n")) << info;
    EXPECT_TRUE(has(info, R"(end           "guest \"sample\" exited\n")")) << info;
}

TEST(TraceInfo, AMissingTailIsNamedWithItsOffset)
{
    std::vector<std::uint8_t> bytes = sample_bytes();
    std::uint64_t second = trace_samples::sample_second_chunk(bytes);
    bytes.resize(bytes.size() - 3);
    Opened_trace t = open_trace(bytes);
    ASSERT_EQ(t.tail_at, second);
    EXPECT_EQ(t.summary.records, 10u); // the first chunk's
    std::ostringstream out;
    print_info("cut.trace", t, out);
    EXPECT_TRUE(has(out.str(), fmt::format("tail          missing: the file ends inside the "
                                           "chunk at byte {},",
                                           second)))
        << out.str();
    EXPECT_TRUE(has(out.str(), "end           none (no end record)\n")) << out.str();
}

TEST(TraceDump, OneLinePerRecordAndEventIndices)
{
    std::vector<std::string> lines = lines_of(dumped({}));
    ASSERT_EQ(lines.size(), trace_samples::sample_records);
    EXPECT_EQ(lines[0], "vcpu_create vcpu=0 cpu=0 ec=7");
    EXPECT_EQ(lines[2], "dispatch cpu=0 tsc=1000 ec=5");
    EXPECT_TRUE(lines[4].starts_with("#0 load vcpu=0 event=0xfe (STARTUP) mtd=ACDB|RIP_LEN "))
        << lines[4];
    EXPECT_TRUE(lines[5].starts_with("#0 store vcpu=0 event=0xfe (STARTUP) mtd=RIP_LEN "))
        << lines[5];
    EXPECT_TRUE(lines[6].starts_with("run vcpu=0 cpu=0 tsc=3000 exit=0x1e (I/O)")) << lines[6];
    EXPECT_TRUE(lines[7].starts_with("#1 load vcpu=0 event=0x1e (I/O)")) << lines[7];
    EXPECT_EQ(lines.back(), R"(end "guest \"sample\" exited\n")");
}

TEST(TraceDump, ByVcpuKeepsItsRecordsAndTheDispatchesOfItsEc)
{
    std::vector<std::string> lines = lines_of(dumped({.vcpus = {1}}));
    // create, dispatch to EC 9, STARTUP message and reply, HLT stretch, message and reply.
    ASSERT_EQ(lines.size(), 7u) << dumped({.vcpus = {1}});
    EXPECT_EQ(lines[0], "vcpu_create vcpu=1 cpu=1 ec=9");
    EXPECT_EQ(lines[1], "dispatch cpu=1 tsc=2500 ec=9");
    EXPECT_TRUE(lines[2].starts_with("#2 load vcpu=1 event=0xfe")) << lines[2];
    EXPECT_TRUE(lines[6].starts_with("#3 store vcpu=1 event=0xc (HLT)")) << lines[6];
}

TEST(TraceDump, ByEventKeepsStretchesMessagesAndReplies)
{
    std::vector<std::string> lines = lines_of(dumped({.events = {nova::vmx::io}}));
    ASSERT_EQ(lines.size(), 6u);
    EXPECT_TRUE(lines[0].starts_with("run vcpu=0 cpu=0 tsc=3000 exit=0x1e")) << lines[0];
    EXPECT_TRUE(lines[4].starts_with("#4 load vcpu=0 event=0x1e")) << lines[4];
    std::string both = dumped({.vcpus = {1}, .events = {nova::vmx::io, nova::vmx::startup}});
    EXPECT_EQ(lines_of(both).size(), 2u) << both; // vCPU 1 had no I/O: its STARTUP only
    std::string none = dumped({.events = {nova::Vm_exit::none}});
    ASSERT_EQ(lines_of(none).size(), 1u) << none;
    EXPECT_TRUE(none.starts_with("run vcpu=0 cpu=0 tsc=8000 exit=none")) << none;
}

TEST(TraceDump, FromAnEventForACount)
{
    std::vector<std::string> lines = lines_of(dumped({.from = 3, .count = 4}));
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_TRUE(lines[0].starts_with("#3 load vcpu=1 event=0xc (HLT)")) << lines[0];
    EXPECT_TRUE(lines[2].starts_with("run vcpu=0 cpu=0 tsc=6000")) << lines[2];
    EXPECT_TRUE(lines[3].starts_with("#4 load")) << lines[3];
    EXPECT_TRUE(dumped({.count = 0}).empty());
    std::string filtered = dumped({.vcpus = {0}, .from = 2, .count = 2});
    ASSERT_EQ(lines_of(filtered).size(), 2u);
    EXPECT_TRUE(filtered.starts_with("run vcpu=0 cpu=0 tsc=6000")) << filtered;
}

TEST(TraceStats, HistogramPerVcpuWithSimulatedTime)
{
    Opened_trace t = sample();
    std::ostringstream out;
    print_stats(t, out);
    std::vector<std::string> lines = lines_of(out.str());
    ASSERT_EQ(lines.size(), 13u) << out.str();
    EXPECT_EQ(lines[0], "simulated time at 1000000 kHz");
    EXPECT_EQ(lines[1], "vCPU 0 (CPU 0, EC 7): 3 events, 3.500 µs in 3 guest stretches");
    // Most messages first; the stretch without an exit last. 1000 cycles are 1 µs.
    EXPECT_EQ(lines[3], "  0x1e  I/O                           2   66.7%          3.000   85.7%");
    EXPECT_EQ(lines[4], "  0xfe  STARTUP                       1   33.3%          0.000    0.0%");
    EXPECT_EQ(lines[5], "  -     no exit                       1       -          0.500   14.3%");
    EXPECT_EQ(lines[6], "vCPU 1 (CPU 1, EC 9): 2 events, 5.000 µs in 1 guest stretch");
    EXPECT_EQ(lines[8], "  0xc   HLT                           1   50.0%          5.000  100.0%");
    EXPECT_EQ(lines[10], "dispatches by CPU:");
    EXPECT_EQ(lines[11], "  CPU 0            3");
    EXPECT_EQ(lines[12], "  CPU 1            2");
}

TEST(TraceStats, ExitStatsCountStretchesAndMessagesApart)
{
    Opened_trace t = sample();
    Exit_stats stats = collect_exit_stats(t.reader, 2);
    EXPECT_EQ(stats[0].at(nova::vmx::io).messages, 2u);
    EXPECT_EQ(stats[0].at(nova::vmx::io).stretches, 2u);
    EXPECT_EQ(stats[0].at(nova::vmx::io).cycles, 3000u);
    EXPECT_EQ(stats[0].at(nova::vmx::startup).stretches, 0u);
    EXPECT_EQ(stats[0].at(nova::Vm_exit::none).messages, 0u);
    EXPECT_EQ(stats[1].at(nova::vmx::hlt).cycles, 5000u);
}

std::string exported(Opened_trace& t)
{
    std::ostringstream out;
    export_chrome(t, out);
    return out.str();
}

std::size_t count(std::string const& text, std::string const& part)
{
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++n;
    return n;
}

TEST(TraceChromeExport, TracksOfCpusAndVcpus)
{
    Opened_trace t = sample();
    std::string json = exported(t);
    EXPECT_TRUE(json.starts_with(R"({"displayTimeUnit":"ns","traceEvents":[)")) << json;
    EXPECT_TRUE(
        has(json, R"({"ph":"M","pid":1,"tid":0,"name":"thread_name","args":{"name":"CPU 0"}})"));
    // The name holds `)"`, which would end an R"( literal.
    EXPECT_TRUE(
        has(json, R"j("pid":2,"tid":1,"name":"thread_name","args":{"name":"vCPU 1 (CPU 1)"}})j"));
    // CPU 0: EC 5 from 1 µs to 2 µs, vCPU 0 from 2 µs to 9 µs, then idle (not drawn).
    EXPECT_TRUE(
        has(json,
            R"({"ph":"X","pid":1,"tid":0,"ts":1.000,"dur":1.000,"name":"EC 5","args":{"ec":5}})"));
    EXPECT_TRUE(has(json, R"({"ph":"X","pid":1,"tid":0,"ts":2.000,"dur":7.000,"name":"vCPU 0",)"));
    EXPECT_TRUE(has(json, R"({"ph":"X","pid":1,"tid":1,"ts":2.500,"dur":7.000,"name":"vCPU 1",)"));
    EXPECT_EQ(count(json, R"("ph":"X","pid":1,)"), 3u);
    EXPECT_FALSE(has(json, R"("name":"EC 0")"));
    // Each stretch a slice of its vCPU, named by its exit.
    EXPECT_TRUE(has(json, R"({"ph":"X","pid":2,"tid":0,"ts":3.000,"dur":2.000,"name":"I/O",)"));
    EXPECT_TRUE(has(json, R"({"ph":"X","pid":2,"tid":1,"ts":4.000,"dur":5.000,"name":"HLT",)"));
    EXPECT_TRUE(has(json, R"("ts":8.000,"dur":0.500,"name":"no exit","args":{"event":"none"}})"));
    EXPECT_EQ(count(json, R"("ph":"X","pid":2,)"), 4u);
    EXPECT_TRUE(has(json, R"("end":"guest \"sample\" exited\n"}})")) << json;
}

TEST(TraceChromeExport, AnEcStillRunningEndsAtItsCpusLastTime)
{
    std::vector<std::uint8_t> bytes = sample_bytes();
    bytes.resize(trace_samples::sample_second_chunk(bytes)); // cut before the idle dispatches
    Opened_trace t = open_trace(bytes);
    std::string json = exported(t);
    // vCPU 0 ran from 2 µs; its last stretch on CPU 0 ended at 3 + 2 µs.
    EXPECT_TRUE(has(json, R"({"ph":"X","pid":1,"tid":0,"ts":2.000,"dur":3.000,"name":"vCPU 0",)"))
        << json;
    EXPECT_TRUE(has(json, R"("end":null})")) << json;
}

TEST(TraceOpen, ARefusalSaysWhereAndWhat)
{
    std::vector<std::uint8_t> bytes = sample_bytes();
    std::uint64_t second = trace_samples::sample_second_chunk(bytes);
    bytes[second + 7] ^= 0x01;
    try {
        open_trace(bytes);
        FAIL() << "accepted";
    } catch (Format_error const& e) {
        EXPECT_EQ(e.offset, second);
        EXPECT_EQ(std::string(e.what()), fmt::format("byte {}: bad checksum: the chunk is "
                                                     "corrupted",
                                                     second));
    }
}

// What open_trace says of `records` under a scenario of one CPU and one VM of one vCPU.
std::string refusal_under_one_cpu(std::vector<kvm::trace::Record> const& records)
{
    std::string path = trace_samples::temp_path("tools_bounds");
    {
        kvm::trace::Header h = trace_samples::test_header();
        h.scenario_text = "[machine]\ncpus = 1\n[[vm]]\nimage = { guest = \"io_loop16\" }\n";
        kvm::trace::Writer w{path, h};
        for (kvm::trace::Record const& r : records) w.write(r);
    }
    std::vector<std::uint8_t> bytes = trace_samples::file_bytes(path);
    std::remove(path.c_str());
    try {
        open_trace(bytes);
    } catch (Format_error const& e) {
        return e.what();
    }
    return "accepted";
}

TEST(TraceOpen, TheScenarioBoundsTheCpusAndVcpusOfTheRecords)
{
    Opened_trace t = sample();
    EXPECT_EQ(t.machine.cpus, 2u);
    EXPECT_EQ(t.machine.vcpus, 2u);
    EXPECT_EQ(t.machine.tsc_khz, 1'000'000u);
    EXPECT_DOUBLE_EQ(t.machine.micros(1500), 1.5);
    using Type = kvm::trace::Record::Type;
    kvm::trace::Record first{.type = Type::vcpu_create, .vcpu = 0, .cpu = 0};
    EXPECT_EQ(refusal_under_one_cpu({first}), "accepted");
    kvm::trace::Record second{.type = Type::vcpu_create, .vcpu = 1, .cpu = 0};
    EXPECT_TRUE(has(refusal_under_one_cpu({first, second}),
                    "vcpu_create record: vCPU 1, but the scenario has 1 vCPUs"));
    kvm::trace::Record dispatch{.type = Type::dispatch, .cpu = 1, .tsc = 5};
    EXPECT_TRUE(has(refusal_under_one_cpu({dispatch}),
                    "dispatch record: CPU 1, but the scenario's machine has 1"));
}

TEST(TraceOpen, AScenarioThatDoesNotParseFallsBackToTheDefaultClock)
{
    std::string path = trace_samples::temp_path("tools_no_scenario");
    {
        kvm::trace::Writer w{path, trace_samples::test_header()}; // its scenario has no VM
    }
    Opened_trace t = open_trace(trace_samples::file_bytes(path));
    std::remove(path.c_str());
    EXPECT_FALSE(t.machine.cpus);
    ASSERT_TRUE(t.machine.scenario_error);
    EXPECT_TRUE(has(*t.machine.scenario_error, "hello.toml:1:1: vm:")) << *t.machine.scenario_error;
    EXPECT_EQ(t.machine.tsc_khz, 2'000'000u);
    std::ostringstream out;
    print_stats(t, out);
    EXPECT_TRUE(out.str().starts_with("simulated time at 2000000 kHz (the scenario format's "
                                      "default)\n"))
        << out.str();
}

} // namespace
