// What a `novasim fuzz` campaign is, whichever engine runs it: its budget, its directories,
// the live progress line, and the handling of a crash — an input that kills the process that
// runs it, which only a child process can minimise.
#pragma once

#include "finding_file.hpp"
#include "subprocess.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace novasim {

struct Campaign_options {
    double seconds{0};     // 0: no time limit
    std::uint64_t runs{0}; // 0: no limit on runs (one of the two is set)
    unsigned jobs{1};
    std::uint64_t seed{1};
    std::filesystem::path corpus_dir;             // read at the start, new inputs go there
    std::filesystem::path findings_dir;           // minimised findings go there
    std::vector<std::filesystem::path> seed_dirs; // read-only seeds
};

// The numbers a progress line shows. `coverage` says what is counted.
struct Campaign_stats {
    std::uint64_t runs{0};
    std::uint64_t calls{0}; // 0 when the engine does not say
    double seconds{0};
    std::size_t coverage{0};
    std::size_t features{0};
    std::size_t corpus{0};
    std::size_t findings{0};
};

class Progress {
  public:
    Progress(std::ostream& out, std::string coverage_name);
    // Rewrites the line on a terminal; elsewhere writes one every ten seconds.
    void show(Campaign_stats const& stats);
    void finish(Campaign_stats const& stats);

  private:
    std::string line(Campaign_stats const& stats) const;

    std::ostream& out_;
    std::string coverage_name_;
    bool terminal_;
    std::chrono::steady_clock::time_point last_{};
};

// The program texts in `dirs` (every .hcl file); a file that is not a program is an error that
// names its place.
std::vector<std::string> load_seeds(std::vector<std::filesystem::path> const& dirs);

// A crashing input: minimised through children running `judge FILE` (the same signature must
// come back) and written to the findings directory. Its reproduction command is `novasim
// hypercalls` for what an oracle or a kernel assertion found, so that whoever reads the finding
// needs no fuzz build; else `reproducer` (the sanitizer build that found it).
fuzz::Finding_file record_crash(std::string const& input, std::vector<std::string> const& judge,
                                Campaign_options const& options, std::string const& origin,
                                std::string const& reproducer);

// The findings directory's files written since `since`.
std::vector<std::filesystem::path> findings_since(std::filesystem::path const& dir,
                                                  std::filesystem::file_time_type since);

} // namespace novasim
