#include "finding_file.hpp"

#include "program/printer.hpp"
#include "random.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace fuzz {

namespace {

constexpr std::string_view run_name = "input.hcl:"; // the name execute() gives a program

// The report as `novasim hypercalls PATH` writes it: the file's name, and lines moved down by
// the `offset` lines of the header above the program.
std::string relocated(std::string const& line, std::string const& path, std::size_t offset)
{
    if (!line.starts_with(run_name)) return line;
    std::size_t colon = line.find(':', run_name.size());
    if (colon == std::string::npos) return path + ":" + line.substr(run_name.size());
    std::string number = line.substr(run_name.size(), colon - run_name.size());
    if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos) {
        return path + ":" + line.substr(run_name.size());
    }
    return fmt::format("{}:{}{}", path, std::stoul(number) + offset, line.substr(colon));
}

std::vector<std::string> lines_of(std::string const& text)
{
    std::istringstream in{text};
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

} // namespace

Finding_file write_finding(std::filesystem::path const& dir, hcl::Program const& program,
                           Fired const& fired, std::string const& origin,
                           std::string const& reproducer)
{
    std::string text = hcl::format_program(program);
    std::filesystem::create_directories(dir);
    std::filesystem::path path =
        dir / fmt::format("{}-{:08x}.hcl", fired.kind, hash_bytes(text) & 0xffff'ffff);
    std::string command = fmt::format("{} {}", reproducer, path.string());
    std::vector<std::string> report = lines_of(fired.report);
    std::size_t header = report.size() + 2;
    std::ofstream file{path};
    file << fmt::format("# A finding of novasim fuzz ({}): {} fired.\n", origin, fired.kind);
    for (std::string const& line : report)
        file << "#   " << relocated(line, path.string(), header) << "\n";
    file << "# Reproduce: " << command << "\n" << text;
    if (!file) throw std::runtime_error("cannot write " + path.string());
    return {path, command};
}

} // namespace fuzz
