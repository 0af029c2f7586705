// A campaign of the libFuzzer target (the fuzz preset's novasim_hypercall_fuzzer): one child
// process per job, with the corpus directory first (libFuzzer writes new inputs there) and the
// seed directories after it. Its status lines ("#N ... cov: C ft: F corp: K/..b ... exec/s: E")
// feed the progress line. A job that stops on a crash leaves the input in a scratch directory
// (-artifact_prefix); that input is minimised through children running the target on one file
// (the same signature must come back), written as a finding, and the job starts again with
// what is left of its budget.
#pragma once

#include "campaign.hpp"

#include <string>

namespace novasim {

Campaign_stats run_libfuzzer_campaign(Campaign_options const& options, std::string const& fuzzer,
                                      Progress& progress);

// The numbers of one libFuzzer status line; false for any other line.
bool parse_status_line(std::string const& line, Campaign_stats& stats);

} // namespace novasim
