// Writes the traces the tests of `novasim trace` read (tests/trace/CMakeLists.txt) into the
// directory it is given: the sample of trace_samples.hpp whole, cut short, corrupted, and two
// that the scan refuses or that carry no usable scenario.
#include "nova/mtd.hpp"
#include "nova/vmx.hpp"
#include "trace_samples.hpp"

#include <cstdio>
#include <filesystem>
#include <string>

namespace {

using namespace kvm::trace;

// vCPU 0 gets a HLT message although its stretch ended with I/O.
void write_inconsistent(std::string const& path)
{
    Writer w{path, trace_samples::test_header()};
    w.write(Record{.type = Record::Type::vcpu_create, .vcpu = 0, .cpu = 0});
    w.write(Record{.type = Record::Type::run, .vcpu = 0, .cpu = 0, .event = nova::vmx::io});
    nova::Utcb_arch a{};
    Record load{.type = Record::Type::load, .vcpu = 0, .event = nova::vmx::hlt};
    load.mtd = nova::mtd::rip_len, load.state = &a;
    w.write(load);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: write_sample_traces DIRECTORY\n");
        return 2;
    }
    std::string dir = argv[1];
    std::filesystem::create_directories(dir);
    trace_samples::write_sample_trace(dir + "/sample.trace");
    std::vector<std::uint8_t> bytes = trace_samples::file_bytes(dir + "/sample.trace");
    std::vector<std::uint8_t> cut(bytes.begin(), bytes.end() - 3);
    trace_samples::write_bytes(dir + "/cut.trace", cut);
    bytes[trace_samples::sample_second_chunk(bytes) + 7] ^= 0x01;
    trace_samples::write_bytes(dir + "/corrupt.trace", bytes);
    write_inconsistent(dir + "/inconsistent.trace");
    {
        Writer w{dir + "/no_scenario.trace", trace_samples::test_header()};
        w.write(Record{.type = Record::Type::vcpu_create, .vcpu = 0, .cpu = 0});
        trace_samples::write_io_exit(w, 1000, 0x1000, 0);
    }
    return 0;
}
