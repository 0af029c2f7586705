// The libFuzzer entry points of the hypercall fuzzer (design.md §5), also the OSS-Fuzz target
// (.clusterfuzzlite/build.sh). An input is the text of a program: the custom mutator keeps it
// one (mutator.hpp), so the corpus, the crashes libFuzzer saves and the findings are all
// readable programs. LLVMFuzzerTestOneInput judges an input like every other engine does
// (execution.hpp) and aborts when an oracle fires, so that libFuzzer keeps the input; text
// that is not a program is refused (-1) and never enters the corpus. The same file built
// without a fuzzing engine, with replay_main.cpp, replays a corpus.
#include "execution.hpp"
#include "mutator.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

std::string_view text_of(std::uint8_t const* data, std::size_t size)
{
    return {reinterpret_cast<char const*>(data), size};
}

std::size_t store(std::string const& mutant, std::uint8_t* data, std::size_t size,
                  std::size_t max_size)
{
    if (mutant.size() > max_size) return size; // nothing smaller came out: keep the input
    std::memcpy(data, mutant.data(), mutant.size());
    return mutant.size();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    fuzz::Execution execution = fuzz::execute(text_of(data, size));
    if (!execution.parsed) return -1;
    if (!execution.found()) return 0;
    std::fprintf(stderr, "novasim: the %s oracle fired (%s):\n%s",
                 fuzz::finding_name(execution.finding), fuzz::signature(execution).c_str(),
                 execution.report.c_str());
    std::abort();
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed)
{
    return store(fuzz::mutate_text(text_of(data, size), seed, max_size), data, size, max_size);
}

extern "C" std::size_t LLVMFuzzerCustomCrossOver(std::uint8_t const* data1, std::size_t size1,
                                                 std::uint8_t const* data2, std::size_t size2,
                                                 std::uint8_t* out, std::size_t max_out_size,
                                                 unsigned int seed)
{
    std::string child =
        fuzz::cross_over_text(text_of(data1, size1), text_of(data2, size2), seed, max_out_size);
    if (child.size() > max_out_size) return 0;
    std::memcpy(out, child.data(), child.size());
    return child.size();
}
