// `novasim trace info`: what a trace says about itself. The header — format version, the novasim
// that wrote it, the scenario and images it carries, and apart from them the fields that depend
// on the recording host — then what the scan counted: records by type, events, vCPUs, bytes, and
// whether the file is complete and how the run ended.
#pragma once

#include "trace/opened_trace.hpp"

#include <ostream>
#include <string>

namespace trace_tools {

void print_info(std::string const& file, Opened_trace const& trace, std::ostream& out);

} // namespace trace_tools
