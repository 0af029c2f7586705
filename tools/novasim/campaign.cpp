#include "campaign.hpp"

#include "crash_report.hpp"
#include "minimiser.hpp"
#include "program/parser.hpp"
#include "program/printer.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include <fmt/format.h>

namespace novasim {

namespace {

std::string read_file(std::filesystem::path const& path)
{
    std::ifstream in{path, std::ios::binary};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string clock_text(double seconds)
{
    auto s = static_cast<long>(seconds);
    return fmt::format("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

// What ASan or UBSan found, or a bare crash, shows only in the build that found it; an oracle's
// report and a kernel assertion (always compiled in) come back from the plain `novasim`.
bool needs_sanitizers(std::string const& kind)
{
    return kind == "asan" || kind == "ubsan" || kind == "crash" || kind.empty();
}

} // namespace

Progress::Progress(std::ostream& out, std::string coverage_name)
    : out_{out}, coverage_name_{std::move(coverage_name)}, terminal_{isatty(STDOUT_FILENO) != 0}
{
}

std::string Progress::line(Campaign_stats const& s) const
{
    double rate = s.seconds > 0 ? static_cast<double>(s.runs) / s.seconds : 0;
    std::string features = s.features == 0 ? "" : fmt::format(", {} features", s.features);
    return fmt::format("{} {} runs, {:.0f} exec/s, coverage {} ({}){}, corpus {}, findings {}",
                       clock_text(s.seconds), s.runs, rate, s.coverage, coverage_name_, features,
                       s.corpus, s.findings);
}

void Progress::show(Campaign_stats const& stats)
{
    auto now = std::chrono::steady_clock::now();
    if (!terminal_ && now - last_ < std::chrono::seconds{10}) return;
    last_ = now;
    out_ << (terminal_ ? "\r\33[K" : "") << line(stats) << (terminal_ ? "" : "\n") << std::flush;
}

void Progress::finish(Campaign_stats const& stats)
{
    out_ << (terminal_ ? "\r\33[K" : "") << line(stats) << "\n" << std::flush;
}

std::vector<std::string> load_seeds(std::vector<std::filesystem::path> const& dirs)
{
    std::vector<std::string> seeds;
    for (std::filesystem::path const& dir : dirs) {
        if (!std::filesystem::is_directory(dir)) {
            throw std::runtime_error(
                fmt::format("seed directory '{}' does not exist", dir.string()));
        }
        for (auto const& entry : std::filesystem::directory_iterator{dir}) {
            if (entry.path().extension() != ".hcl") continue;
            std::string text = read_file(entry.path());
            hcl::Parse_result parsed = hcl::parse_program(text, entry.path().string());
            if (auto const* error = std::get_if<hcl::Parse_error>(&parsed)) {
                throw std::runtime_error(hcl::to_string(*error) +
                                         " (a corpus holds programs only)");
            }
            seeds.push_back(std::move(text));
        }
    }
    return seeds;
}

fuzz::Finding_file record_crash(std::string const& input, std::vector<std::string> const& judge,
                                Campaign_options const& options, std::string const& origin,
                                std::string const& reproducer)
{
    std::filesystem::path probe = options.findings_dir / fmt::format(".probe-{}.hcl", getpid());
    std::filesystem::create_directories(options.findings_dir);
    auto run = [&](std::string const& text) {
        std::ofstream{probe} << text;
        std::vector<std::string> argv = judge;
        argv.push_back(probe.string());
        return run_process(argv);
    };
    Finished first = run(input);
    std::string signature = crash_signature(first);
    hcl::Program program = std::get<hcl::Program>(hcl::parse_program(input, "crash"));
    hcl::Program small = fuzz::minimise(
        program,
        [&](hcl::Program const& candidate) {
            return crash_signature(run(hcl::format_program(candidate))) == signature;
        },
        400);
    Finished last = run(hcl::format_program(small));
    std::filesystem::remove(probe);
    std::string kind = signature.substr(0, signature.find(':'));
    return fuzz::write_finding(options.findings_dir, small,
                               {kind.empty() ? "crash" : kind, crash_report(last)}, origin,
                               needs_sanitizers(kind) ? reproducer : "novasim hypercalls");
}

std::vector<std::filesystem::path> findings_since(std::filesystem::path const& dir,
                                                  std::filesystem::file_time_type since)
{
    std::vector<std::filesystem::path> found;
    if (!std::filesystem::is_directory(dir)) return found;
    for (auto const& entry : std::filesystem::directory_iterator{dir}) {
        if (entry.path().extension() == ".hcl" &&
            !entry.path().filename().string().starts_with(".") &&
            entry.last_write_time() >= since) {
            found.push_back(entry.path());
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

} // namespace novasim
