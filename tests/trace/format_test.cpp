// The trace format (tools/TRACE_FORMAT.md): what the writer writes the reader reads back; every
// kind of malformed file is refused with its byte offset; a recorder that was killed leaves a
// prefix that reads.
#include "kvm/trace/reader.hpp"
#include "kvm/trace/scan.hpp"
#include "kvm/trace/writer.hpp"
#include "nova/mtd.hpp"
#include "nova/vmx.hpp"
#include "trace_samples.hpp"

#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>

namespace {

using namespace kvm::trace;
using namespace trace_samples;
using Type = Record::Type;

std::string write_small_trace(char const* name, unsigned exits)
{
    std::string path = temp_path(name);
    Writer w{path, test_header()};
    Record create{.type = Type::vcpu_create, .vcpu = 0, .cpu = 0};
    create.ec = 3;
    w.write(create);
    for (unsigned i = 0; i < exits; ++i) write_io_exit(w, 10'000 + 3'000 * i, 0x1000 + i, i);
    Record end{.type = Type::end};
    end.bytes = {'o', 'k'};
    w.write(end);
    return path;
}

TEST(TraceFormat, WhatIsWrittenReadsBack)
{
    std::string path = write_small_trace("roundtrip", 3);
    Reader r = Reader::open(path);
    EXPECT_EQ(r.header().scenario_file, "hello.toml");
    EXPECT_EQ(r.header().images.at(0).second, (std::vector<std::uint8_t>{0xe6, 0x80, 0xf4}));
    ASSERT_EQ(r.next()->type, Type::vcpu_create);
    for (unsigned i = 0; i < 3; ++i) {
        std::optional<Record> run = r.next();
        ASSERT_EQ(run->type, Type::run);
        EXPECT_EQ(run->tsc, 10'000 + 3'000 * i);
        EXPECT_EQ(run->event, nova::vmx::io);
        std::optional<Record> load = r.next();
        ASSERT_EQ(load->type, Type::load);
        EXPECT_EQ(load->state->rip, 0x1000 + i);
        EXPECT_EQ(load->state->rax, i);
        std::optional<Record> store = r.next();
        ASSERT_EQ(store->type, Type::store);
        EXPECT_EQ(store->state->rip, 0x1002 + i);
    }
    EXPECT_EQ(r.next()->type, Type::end);
    EXPECT_FALSE(r.next());
    EXPECT_FALSE(r.tail_missing());
    std::remove(path.c_str());
}

TEST(TraceFormat, AnExitCostsFewBytes)
{
    std::string path = write_small_trace("small", 1000);
    std::uintmax_t size = std::filesystem::file_size(path);
    EXPECT_LT(size, 1000u * 40) << "an I/O exit's three records should take well under 40 bytes";
    std::remove(path.c_str());
}

TEST(TraceFormat, ScanCountsEventsAndTheEnd)
{
    std::string path = write_small_trace("scan", 5);
    Reader r = Reader::open(path);
    Summary s = scan(r);
    EXPECT_EQ(s.events, 5u);
    ASSERT_EQ(s.vcpus.size(), 1u);
    EXPECT_EQ(s.vcpus[0].exits.at(nova::vmx::io), 5u);
    EXPECT_EQ(s.vcpus[0].cycles, 5u * 2'000);
    EXPECT_EQ(s.end, "ok");
    std::remove(path.c_str());
}

// The byte offset the reader refuses `bytes` at, and its words.
std::pair<std::uint64_t, std::string> refusal(std::vector<std::uint8_t> const& bytes)
{
    try {
        Reader r{bytes};
        scan(r);
    } catch (Format_error const& e) {
        return {e.offset, e.what()};
    }
    return {~0ull, "accepted"};
}

// A small trace of `exits` exits, its bytes changed by `damage`, then read.
template <typename Damage>
std::pair<std::uint64_t, std::string> damaged(char const* name, unsigned exits, Damage damage)
{
    std::string path = write_small_trace(name, exits);
    std::vector<std::uint8_t> bytes = file_bytes(path);
    std::remove(path.c_str());
    damage(bytes);
    return refusal(bytes);
}

TEST(TraceFormat, WrongMagicIsRefusedAtByteZero)
{
    auto [offset, what] = damaged("magic", 1, [](auto& bytes) { bytes[0] = 'X'; });
    EXPECT_EQ(offset, 0u);
    EXPECT_NE(what.find("magic"), std::string::npos) << what;
}

TEST(TraceFormat, AFlippedBitFailsTheChecksumOfItsChunk)
{
    // Inside the records chunk, the last of the file.
    auto [offset, what] = damaged("crc", 10, [](auto& bytes) { bytes[bytes.size() - 12] ^= 0x10; });
    EXPECT_GT(offset, 8u);
    EXPECT_NE(what.find("checksum"), std::string::npos) << what;
}

TEST(TraceFormat, AnAbsurdChunkLengthIsRefused)
{
    std::size_t records = 0; // where the records chunk starts: after magic and header chunk
    auto [offset, what] = damaged("length", 1, [&records](auto& bytes) {
        records = 8 + 9 + (bytes[8] | bytes[9] << 8);
        bytes[records + 3] = 0x7f; // 2 GiB
    });
    EXPECT_EQ(offset, records);
    EXPECT_NE(what.find("absurd"), std::string::npos) << what;
}

// A file with only a header, then one records chunk holding `payload` (its CRC correct).
std::vector<std::uint8_t> with_records_chunk(std::vector<std::uint8_t> const& payload)
{
    std::string path = temp_path("chunk");
    {
        Writer w{path, test_header()};
    }
    std::vector<std::uint8_t> bytes = file_bytes(path);
    std::remove(path.c_str());
    std::uint32_t length = static_cast<std::uint32_t>(payload.size());
    std::vector<std::uint8_t> chunk{static_cast<std::uint8_t>(length), 0, 0, 0, 2};
    chunk.insert(chunk.end(), payload.begin(), payload.end());
    std::uint32_t crc = crc32(chunk.data() + 4, chunk.size() - 4);
    for (int i = 0; i < 4; ++i) chunk.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
    bytes.insert(bytes.end(), chunk.begin(), chunk.end());
    return bytes;
}

TEST(TraceFormat, ANumberBeyond64BitsIsRefused)
{
    // vcpu_create of vCPU 0 on CPU 0 with an EC of ten varint bytes: 2^64 - 1 fits, one more
    // bit in the tenth byte does not.
    std::vector<std::uint8_t> largest{1,    0,    0,    0xff, 0xff, 0xff,
                                      0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    largest.push_back(0x01);
    Reader r{with_records_chunk(largest)};
    EXPECT_EQ(r.next()->ec, ~std::uint64_t{0});
    largest.back() = 0x03;
    auto [offset, what] = refusal(with_records_chunk(largest));
    EXPECT_NE(what.find("longer than 64 bits"), std::string::npos) << what;
    EXPECT_EQ(offset, with_records_chunk(largest).size() - 5); // the tenth byte, before the CRC
}

TEST(TraceFormat, AnUnknownVersionIsRefused)
{
    Header h = test_header();
    h.version = 9;
    std::string path = temp_path("version");
    {
        Writer w{path, h};
    }
    auto [offset, what] = refusal(file_bytes(path));
    EXPECT_NE(what.find("version 9"), std::string::npos) << what;
    std::remove(path.c_str());
}

TEST(TraceFormat, AKilledRecorderLeavesAPrefixThatReads)
{
    std::string path = temp_path("killed");
    {
        Writer w{path, test_header()};
        Record create{.type = Type::vcpu_create, .vcpu = 0, .cpu = 0};
        w.write(create);
        for (unsigned i = 0; i < 2000; ++i) write_io_exit(w, 10'000 + 3'000 * i, 0x1000, i);
    }
    std::vector<std::uint8_t> bytes = file_bytes(path);
    bytes.resize(bytes.size() - 100); // the last chunk is cut
    Reader r{bytes};
    Summary s = scan(r);
    EXPECT_TRUE(s.tail_missing);
    EXPECT_GT(s.events, 100u);
    EXPECT_LT(s.events, 2000u);
    EXPECT_FALSE(s.end);
    std::remove(path.c_str());
}

TEST(TraceFormat, AMessageForAnEventTheVcpuDidNotHaveIsRefused)
{
    std::string path = temp_path("event");
    std::uint64_t offset = 0;
    {
        Writer w{path, test_header()};
        w.write(Record{.type = Type::vcpu_create, .vcpu = 0, .cpu = 0});
        nova::Utcb_arch a{};
        Record load{.type = Type::load, .vcpu = 0, .event = nova::vmx::hlt};
        load.mtd = nova::mtd::rip_len, load.state = &a;
        w.write(load);
    }
    Reader r = Reader::open(path);
    try {
        scan(r);
        FAIL() << "accepted";
    } catch (Format_error const& e) {
        offset = e.offset;
        EXPECT_NE(std::string(e.what()).find("exited with none"), std::string::npos) << e.what();
    }
    EXPECT_GT(offset, 8u);
    std::remove(path.c_str());
}

TEST(TraceFormat, MoreVcpusOrCpusThanTheScenarioHasAreRefused)
{
    std::string path = write_small_trace("limits", 1);
    Reader r = Reader::open(path);
    EXPECT_THROW(scan(r, Scan_limits{.cpus = 1, .vcpus = 0}), Format_error);
    r.rewind();
    EXPECT_NO_THROW(scan(r, Scan_limits{.cpus = 1, .vcpus = 1}));
    std::remove(path.c_str());
}

TEST(TraceFormat, AnEventNovasimDoesNotDeliverIsRefused)
{
    std::string path = temp_path("unknown_event");
    {
        Writer w{path, test_header()};
        w.write(Record{.type = Type::vcpu_create, .vcpu = 0, .cpu = 0});
        w.write(Record{.type = Type::run, .vcpu = 0, .cpu = 0, .tsc = 5, .event = 0x77});
    }
    Reader r = Reader::open(path);
    try {
        scan(r);
        FAIL() << "accepted";
    } catch (Format_error const& e) {
        EXPECT_NE(std::string(e.what()).find("0x77"), std::string::npos) << e.what();
    }
    std::remove(path.c_str());
}

} // namespace

namespace {

// The records of the worked example in tools/TRACE_FORMAT.md.
void write_worked_example(Writer& w)
{
    Record create{.type = Type::vcpu_create, .vcpu = 0, .cpu = 0};
    create.ec = 7;
    w.write(create);
    Record run{.type = Type::run, .vcpu = 0, .cpu = 0, .tsc = 1000, .event = nova::vmx::io};
    run.cycles = 300;
    w.write(run);
    nova::Utcb_arch a{};
    a.rip = 0x7c00, a.inst_len = 1;
    Record load{.type = Type::load, .vcpu = 0, .event = nova::vmx::io};
    load.mtd = nova::mtd::rip_len, load.state = &a;
    w.write(load);
    a.rip = 0x7c01;
    Record store{.type = Type::store, .vcpu = 0, .event = nova::vmx::io};
    store.mtd = nova::mtd::rip_len, store.state = &a;
    w.write(store);
    Record idle{.type = Type::dispatch, .cpu = 0, .tsc = 900};
    w.write(idle);
    Record end{.type = Type::end};
    end.bytes = {'o', 'k'};
    w.write(end);
}

} // namespace

// The format document's hex dump is these bytes: when the coding changes, so must the document.
TEST(TraceFormat, TheDocumentsWorkedExampleIsWhatTheWriterWrites)
{
    std::string path = temp_path("worked_example");
    {
        Header h;
        h.novasim_version = "0.1.0", h.scenario_file = "a.toml";
        Writer w{path, h};
        write_worked_example(w);
    }
    std::vector<std::uint8_t> expected{
        0x4e, 0x4f, 0x56, 0x41, 0x54, 0x52, 0x43, 0x0a, // magic
        0x13, 0x00, 0x00, 0x00, 0x01,                   // header chunk
        0x01, 0x05, '0',  '.',  '1',  '.',  '0',  0x06, 'a',  '.',  't',  'o',
        'm',  'l',  0x00, 0x00, 0x00, 0x00, 0x00, 0xda, 0xc0, 0x1f, 0x3d, // ..., CRC
        0x27, 0x00, 0x00, 0x00, 0x02,                                     // records chunk
        0x01, 0x00, 0x00, 0x07,                                           // vcpu_create
        0x03, 0x00, 0x00, 0xd0, 0x0f, 0x1f, 0x00, 0x00, 0x00, 0xac, 0x02, // run
        0x04, 0x00, 0x1f, 0x08, 0x03, 0x80, 0xf8, 0x01, 0x01,             // load
        0x05, 0x00, 0x1f, 0x08, 0x01, 0x01,                               // store
        0x07, 0x00, 0xc7, 0x01, 0x00,                                     // dispatch
        0x08, 0x02, 'o',  'k',                                            // end
        0x3e, 0xec, 0x4d, 0x62};                                          // CRC
    EXPECT_EQ(file_bytes(path), expected);
    std::remove(path.c_str());
}
