// A campaign of the in-process engine (tools/fuzz/engine.hpp), for builds without libFuzzer.
// The engine runs in worker processes, so that a kernel assertion or a memory fault kills a
// worker, not the campaign: before each run a worker copies the input into memory it shares
// with the campaign, with its numbers. A worker that dies leaves its input behind; that input
// becomes a finding (minimised through `novasim hypercalls` children) and a new worker, with
// the next seed, takes over what is left of the budget.
#pragma once

#include "campaign.hpp"

#include <map>

namespace novasim {

struct Inprocess_result {
    Campaign_stats stats;
    std::uint64_t model_off{0}; // runs in which the reference model stopped following
    std::map<std::string, std::uint64_t> model_off_reasons;
};

Inprocess_result run_inprocess_campaign(Campaign_options const& options, Progress& progress);

} // namespace novasim
