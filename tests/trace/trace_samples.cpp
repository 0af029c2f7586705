#include "trace_samples.hpp"

#include "nova/mtd.hpp"
#include "nova/platform.hpp"
#include "nova/vmx.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace trace_samples {

using namespace kvm::trace;
using Type = Record::Type;

std::string temp_path(char const* name)
{
    return (std::filesystem::temp_directory_path() /
            (std::string("novasim_") + name + "_" + std::to_string(::getpid()) + ".trace"))
        .string();
}

std::vector<std::uint8_t> file_bytes(std::string const& path)
{
    std::ifstream in{path, std::ios::binary};
    return {std::istreambuf_iterator<char>{in}, {}};
}

void write_bytes(std::string const& path, std::vector<std::uint8_t> const& bytes)
{
    std::ofstream out{path, std::ios::binary};
    out.write(reinterpret_cast<char const*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

Header test_header()
{
    Header h;
    h.novasim_version = "0.1.0";
    h.scenario_file = "hello.toml";
    h.scenario_text = "[machine]\ncpus = 1\n";
    h.images = {{"guest:io_loop16", {0xe6, 0x80, 0xf4}}};
    h.host_kvm = "KVM API 12";
    return h;
}

void write_io_exit(Writer& w, std::uint64_t tsc, std::uint64_t rip, std::uint64_t rax)
{
    nova::Utcb_arch a{};
    a.rip = rip, a.rax = rax, a.inst_len = 2;
    a.qual[0] = nova::vmx::io_qual::make(1, false, 0x80);
    Record run{.type = Type::run, .vcpu = 0, .cpu = 0, .tsc = tsc, .event = nova::vmx::io};
    run.qual[0] = a.qual[0], run.cycles = 2'000;
    w.write(run);
    Record load{.type = Type::load, .vcpu = 0, .event = nova::vmx::io};
    load.mtd = nova::mtd::gpr_acdb | nova::mtd::rip_len | nova::mtd::qual, load.state = &a;
    w.write(load);
    a.rip += 2;
    Record store{.type = Type::store, .vcpu = 0, .event = nova::vmx::io};
    store.mtd = nova::mtd::rip_len, store.state = &a;
    w.write(store);
}

namespace {

Header sample_header()
{
    Header h = test_header();
    h.scenario_file = "sample.toml";
    h.scenario_text = "[machine]\ncpus = 2\ntsc_khz = 1000000\n\n"
                      "[[vm]]\nname = \"sample\"\nvcpus = 2\ncpus = [0, 1]\n"
                      "image = { guest = \"io_loop16\" }\n";
    h.host_cpu = "Sample CPU @ 1 GHz";
    h.calibration = "out: after, hlt: after";
    return h;
}

void dispatch(Writer& w, std::uint32_t cpu, std::uint64_t tsc, std::uint64_t ec)
{
    Record r{.type = Type::dispatch, .cpu = cpu, .tsc = tsc};
    r.ec = ec;
    w.write(r);
}

// A stretch of `vcpu` on its CPU, then the message of its exit (if any) and the reply.
void guest_exit(Writer& w, std::uint32_t vcpu, std::uint64_t tsc, nova::mword event,
                std::uint64_t cycles)
{
    nova::Utcb_arch a{};
    a.rip = 0x1000 + tsc, a.rax = vcpu;
    Record run{.type = Type::run, .vcpu = vcpu, .cpu = vcpu, .tsc = tsc, .event = event};
    run.cycles = cycles;
    if (event != nova::vmx::startup) w.write(run);
    if (event == nova::Vm_exit::none) return;
    Record load{.type = Type::load, .vcpu = vcpu, .event = event};
    load.mtd = nova::mtd::gpr_acdb | nova::mtd::rip_len, load.state = &a;
    w.write(load);
    a.rip += 1;
    Record store{.type = Type::store, .vcpu = vcpu, .event = event};
    store.mtd = nova::mtd::rip_len, store.state = &a;
    w.write(store);
}

} // namespace

void write_sample_trace(std::string const& path)
{
    Writer w{path, sample_header()};
    for (std::uint32_t vcpu : {0u, 1u}) {
        Record create{.type = Type::vcpu_create, .vcpu = vcpu, .cpu = vcpu};
        create.ec = vcpu == 0 ? 7 : 9;
        w.write(create);
    }
    dispatch(w, 0, 1000, 5), dispatch(w, 0, 2000, 7);
    guest_exit(w, 0, 0, nova::vmx::startup, 0);
    guest_exit(w, 0, 3000, nova::vmx::io, 2000);
    dispatch(w, 1, 2500, 9);
    w.flush();
    guest_exit(w, 1, 0, nova::vmx::startup, 0);
    guest_exit(w, 1, 4000, nova::vmx::hlt, 5000);
    guest_exit(w, 0, 6000, nova::vmx::io, 1000);
    guest_exit(w, 0, 8000, nova::Vm_exit::none, 500);
    dispatch(w, 0, 9000, 0), dispatch(w, 1, 9500, 0);
    Record input{.type = Type::input};
    input.vm = 0, input.call = 1, input.bytes = {'x'};
    w.write(input);
    Record end{.type = Type::end};
    end.bytes.assign(sample_end, sample_end + std::char_traits<char>::length(sample_end));
    w.write(end);
}

std::uint64_t sample_second_chunk(std::vector<std::uint8_t> const& bytes)
{
    auto chunk_end = [&bytes](std::uint64_t at) {
        std::uint32_t length = bytes.at(at) | bytes.at(at + 1) << 8 | bytes.at(at + 2) << 16 |
                               std::uint32_t{bytes.at(at + 3)} << 24;
        return at + 9 + length;
    };
    return chunk_end(chunk_end(sizeof magic));
}

} // namespace trace_samples
