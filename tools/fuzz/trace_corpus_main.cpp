// The trace reader's corpus without a fuzzing engine: every file named on the command line, or
// every file in a directory named there, goes through the target's LLVMFuzzerTestOneInput. An
// exception that escapes it, or a crash, fails the run (and names the file, printed first).
#include "corpus_files.hpp"

#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size);

namespace {

bool run(std::filesystem::path const& file)
{
    std::ifstream in{file, std::ios::binary};
    if (!in) {
        std::fprintf(stderr, "%s: error: cannot read the file\n", file.c_str());
        return false;
    }
    std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>{in}, {}};
    std::fprintf(stderr, "%s: ", file.c_str());
    try {
        LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    } catch (std::exception const& e) {
        std::fprintf(stderr, "error: an exception escaped the reader: %s\n", e.what());
        return false;
    }
    std::fprintf(stderr, "read or refused cleanly\n");
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::filesystem::path> files = fuzz::corpus_files(argc, argv, "");
    if (files.empty()) std::fprintf(stderr, "usage: novasim_trace_corpus FILE_OR_DIRECTORY...\n");
    bool all = !files.empty();
    for (auto const& file : files) all = run(file) && all;
    return all ? 0 : 1;
}
