// Small traces written with kvm::trace::Writer, for the tests of the format and of the tools
// that read it (and, through write_sample_traces, for the tests of the novasim binary).
#pragma once

#include "kvm/trace/writer.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace trace_samples {

// A file name in the temporary directory, unique to this process.
std::string temp_path(char const* name);
std::vector<std::uint8_t> file_bytes(std::string const& path);
void write_bytes(std::string const& path, std::vector<std::uint8_t> const& bytes);

// A header whose scenario text is not a whole scenario (it has no VM).
kvm::trace::Header test_header();
// One I/O exit of vCPU 0 on CPU 0 as the kernel writes it: stretch, message, reply.
void write_io_exit(kvm::trace::Writer& w, std::uint64_t tsc, std::uint64_t rip, std::uint64_t rax);

// The two-vCPU sample: a scenario of 2 CPUs at 1 GHz (1000 cycles are 1 µs), vCPU 0 on CPU 0
// (EC 7), vCPU 1 on CPU 1 (EC 9), another EC 5. In file order:
//   CPU 0 runs EC 5 from 1000, vCPU 0 from 2000, idle from 9000; CPU 1 runs vCPU 1 from 2500,
//   idle from 9500;
//   event #0 STARTUP of vCPU 0; #1 I/O of vCPU 0 (stretch at 3000, 2000 cycles); #2 STARTUP of
//   vCPU 1; #3 HLT of vCPU 1 (stretch at 4000, 5000 cycles); #4 I/O of vCPU 0 (stretch at 6000,
//   1000 cycles); then a stretch of vCPU 0 without an exit (8000, 500 cycles);
//   one byte of console input; the end record (sample_end).
// 23 records in two chunks: the second starts with event #2's message (sample_second_chunk).
inline constexpr std::uint64_t sample_records = 23, sample_events = 5;
inline constexpr char const* sample_end = "guest \"sample\" exited\n";
void write_sample_trace(std::string const& path);
// Where the sample's second chunk starts.
std::uint64_t sample_second_chunk(std::vector<std::uint8_t> const& bytes);

} // namespace trace_samples
