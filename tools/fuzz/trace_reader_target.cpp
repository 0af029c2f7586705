// The libFuzzer target of the trace reader (issue "Record VM-exit traces"): an input is a file
// that `novasim replay` or `novasim trace` might be given. What the format refuses must be
// refused as a Format_error, and a scenario the header carries that cannot run as a
// Scenario_error; anything else — a crash, a sanitizer report, another exception — is a finding.
// A file the scan accepts is also replayed, so that the scenario parser, the image loaders and
// the replayer see what a hostile file can make of them. Built without an engine, with
// trace_corpus_main.cpp, it runs the corpus in ctest.
#include "kvm/trace/reader.hpp"
#include "kvm/trace/scan.hpp"
#include "scenarios/replay.hpp"

#include <cstdint>
#include <vector>

namespace {

void read_every_record(kvm::trace::Reader& reader)
{
    reader.rewind();
    while (std::optional<kvm::trace::Record> r = reader.next()) (void)kvm::trace::describe(*r);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    try {
        kvm::trace::Reader reader{std::vector<std::uint8_t>(data, data + size)};
        (void)kvm::trace::scan(reader);
        read_every_record(reader);
        reader.rewind();
        (void)scenarios::replay_trace(reader, {});
    } catch (kvm::trace::Format_error const&) {
        return 0; // refused with its byte offset, as the format says
    } catch (scenarios::Scenario_error const&) {
        return 0; // the scenario or an image it keeps is refused by name
    }
    return 0;
}
