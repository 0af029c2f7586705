#include "crash_report.hpp"

#include "execution.hpp"

#include <array>
#include <sstream>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace novasim {

namespace {

// A line that tells what fired: its marker, the signature's kind, and whether the rest of the
// line (up to `until`) belongs to the signature.
struct Marker {
    std::string_view text;
    std::string_view kind;
    std::string_view until;
};

constexpr std::array<Marker, 8> markers{{
    {"oracle fired (", "", ")"},
    {"kernel assertion failed: ", "assertion", " at "},
    {"ERROR: AddressSanitizer: ", "asan", " "},
    {"runtime error: ", "ubsan", "\n"},
    {"error: kernel invariant broken: ", "invariant", " (detail"},
    {"error: the reference model differs", "model", ""},
    {"error: the simulation failed: ", "simulation", "\n"},
    {"terminate called after throwing", "exception", ""},
}};

std::vector<std::string> lines_of(std::string const& text)
{
    std::istringstream in{text};
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string signature_in(std::string const& line, Marker const& marker)
{
    std::size_t at = line.find(marker.text);
    if (at == std::string::npos) return {};
    if (marker.until.empty()) return std::string(marker.kind);
    std::string rest = line.substr(at + marker.text.size());
    rest = rest.substr(0, rest.find(marker.until));
    if (marker.kind.empty()) return rest; // the fuzzer target's own signature
    return std::string(marker.kind) + ": " + fuzz::numbers_blanked(rest);
}

// The first marked line, and its index.
std::pair<std::string, std::size_t> first_marked(std::vector<std::string> const& lines)
{
    for (std::size_t i = 0; i < lines.size(); ++i) {
        for (Marker const& marker : markers) {
            if (std::string found = signature_in(lines[i], marker); !found.empty())
                return {found, i};
        }
    }
    return {{}, lines.size()};
}

} // namespace

std::string crash_signature(Finished const& run)
{
    std::string found = first_marked(lines_of(run.output)).first;
    if (!found.empty() || !run.exit.crashed()) return found;
    return run.exit.exited ? fmt::format("crash: exit {}", run.exit.code)
                           : fmt::format("crash: signal {}", run.exit.code);
}

// From the marked line on, up to 16 lines; an oracle's report ends where libFuzzer's account of
// the abort that follows it begins.
std::string crash_report(Finished const& run)
{
    std::vector<std::string> lines = lines_of(run.output);
    std::size_t first = first_marked(lines).second;
    if (first == lines.size()) first = lines.size() > 12 ? lines.size() - 12 : 0;
    std::string report;
    for (std::size_t i = first; i < lines.size() && i < first + 16; ++i) {
        if (i > first && lines[i].find("ERROR: libFuzzer: deadly signal") != std::string::npos)
            break;
        report += lines[i] + "\n";
    }
    return report;
}

} // namespace novasim
