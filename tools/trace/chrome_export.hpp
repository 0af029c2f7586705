// `novasim trace export --chrome`: the trace as Chrome Trace Event JSON, which Perfetto and
// chrome://tracing open. Process 1 has a track per simulated CPU with the EC it ran, a slice from
// one dispatch to the next (idle is not drawn); process 2 has a track per vCPU with its guest
// stretches, each a slice named by the exit it ended with. Times are simulated microseconds at
// the recorded TSC frequency.
#pragma once

#include "trace/opened_trace.hpp"

#include <ostream>

namespace trace_tools {

inline constexpr int chrome_cpu_pid = 1;
inline constexpr int chrome_vcpu_pid = 2;

// Reads the records from the reader's position to the end.
void export_chrome(Opened_trace& trace, std::ostream& out);

} // namespace trace_tools
