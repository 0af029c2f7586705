// `novasim fuzz`: a fuzzing campaign for a time or a number of runs (tools/README.md, "The
// fuzzer"). It drives the fuzz preset's libFuzzer target when that was built, and otherwise the
// in-process engine; either way with a live progress line, the corpus and the minimised
// findings in directories, and for every finding the one command that reproduces it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace novasim {

struct Fuzz_options {
    double seconds{0};
    std::uint64_t runs{0};
    unsigned jobs{1};
    std::string corpus{"fuzz/corpus"};
    std::string findings{"fuzz/findings"};
    std::vector<std::string> seeds; // empty: the project's seed corpus
    std::string engine{"auto"};     // auto, libfuzzer, inprocess
    std::string fuzzer;             // empty: the fuzz preset's target
    std::uint64_t seed{0};          // 0: NOVASIM_SEED, or 1
};

int run_fuzz_command(Fuzz_options const& options);

} // namespace novasim
