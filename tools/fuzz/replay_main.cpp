// The corpus replay without a fuzzing engine (gVisor's StaticCorpus): each file named on the
// command line, or each .hcl file in a directory named there, goes through the very
// LLVMFuzzerTestOneInput the fuzzer runs, which aborts on a finding. A file that is not a
// program is an error too: a corpus holds programs only.
#include "corpus_files.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size);

namespace {

bool replay(std::filesystem::path const& file)
{
    std::ifstream in{file, std::ios::binary};
    if (!in) {
        std::fprintf(stderr, "novasim_fuzz_replay: error: cannot read '%s'\n", file.c_str());
        return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string const bytes = text.str();
    std::fprintf(stderr, "%s: ", file.c_str());
    int verdict =
        LLVMFuzzerTestOneInput(reinterpret_cast<std::uint8_t const*>(bytes.data()), bytes.size());
    std::fprintf(stderr, verdict == 0 ? "no oracle fired\n"
                                      : "error: not a program (novasim format FILE says where)\n");
    return verdict == 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: novasim_fuzz_replay FILE_OR_DIRECTORY...\n");
        return 2;
    }
    std::vector<std::filesystem::path> files = fuzz::corpus_files(argc, argv, ".hcl");
    bool all = !files.empty();
    for (auto const& file : files) all = replay(file) && all;
    if (files.empty()) std::fprintf(stderr, "novasim_fuzz_replay: error: no .hcl file given\n");
    return all ? 0 : 1;
}
