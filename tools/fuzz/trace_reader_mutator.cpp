// libFuzzer's own mutations for the trace reader's target, then the checksums made right again
// (kvm::trace::reseal_chunks): without it nearly every mutant would stop at the CRC check and
// the decoder, the scan and the replay behind it would see little. Linked into the fuzzer only
// (the fuzz preset): LLVMFuzzerMutate comes with the engine.
#include "kvm/trace/reader.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int /*seed*/)
{
    std::size_t mutated = LLVMFuzzerMutate(data, size, max_size);
    std::vector<std::uint8_t> file(data, data + mutated);
    kvm::trace::reseal_chunks(file);
    std::copy(file.begin(), file.end(), data);
    return mutated;
}
