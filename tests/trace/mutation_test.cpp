// Damaged traces (label unit, no KVM): the bundled trace with random bytes changed, cut at random
// places, or with random runs removed or repeated, goes through the trace reader's fuzz target
// (tools/fuzz/trace_reader_target.cpp: scan, every record, the replay). Half of the copies get
// their checksums made right again, so the damage reaches the decoder, the scan and the replay
// rather than the CRC check alone. Each must be read or refused, never crash or throw anything
// but the refusals the target catches; under the asan preset, never touch memory it should not.
// NOVASIM_SEED picks the damage.
#include "kvm/trace/reader.hpp"
#include "test_seed.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size);

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bundled_trace()
{
    std::ifstream in{NOVASIM_SCENARIO_DIR "/traces/hello.trace", std::ios::binary};
    return {std::istreambuf_iterator<char>{in}, {}};
}

// One of the damages a disk, a copy or a killed recorder does, at a random place.
Bytes damaged(Bytes b, std::mt19937_64& random)
{
    auto at = [&](std::size_t n) { return static_cast<std::size_t>(random() % (n + 1)); };
    switch (random() % 4) {
    case 0:
        for (int i = 0, n = 1 + static_cast<int>(random() % 4); i < n && !b.empty(); ++i)
            b[at(b.size() - 1)] ^= static_cast<std::uint8_t>(1 + random() % 255);
        break;
    case 1:
        b.resize(at(b.size()));
        break;
    case 2: {
        std::size_t from = at(b.size()), to = from + at(std::min<std::size_t>(64, b.size() - from));
        b.erase(b.begin() + static_cast<long>(from), b.begin() + static_cast<long>(to));
        break;
    }
    default: {
        std::size_t from = at(b.size()), n = at(std::min<std::size_t>(64, b.size() - from));
        Bytes run(b.begin() + static_cast<long>(from), b.begin() + static_cast<long>(from + n));
        b.insert(b.begin() + static_cast<long>(from), run.begin(), run.end());
    }
    }
    return b;
}

TEST(TraceMutation, DamagedCopiesOfTheBundledTraceAreReadOrRefused)
{
    Bytes original = bundled_trace();
    ASSERT_GT(original.size(), 1000u);
    SCOPED_TRACE(novasim_test::seed_note());
    std::mt19937_64 random{novasim_test::seed()};
    for (int i = 0; i < 400; ++i) {
        Bytes b = damaged(original, random);
        if (i % 2 == 1) kvm::trace::reseal_chunks(b);
        EXPECT_NO_THROW(LLVMFuzzerTestOneInput(b.data(), b.size())) << "damaged copy " << i;
    }
}

} // namespace
