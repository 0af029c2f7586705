#include "source_file.hpp"

#include "program/parser.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace novasim {

namespace {

std::nullopt_t cannot_read(std::string const& path, char const* reason, std::ostream& err)
{
    err << fmt::format("novasim: error: cannot read '{}': {}\n", path, reason);
    return std::nullopt;
}

} // namespace

std::optional<std::string> read_text(std::string const& path, std::ostream& err)
{
    // A directory opens as a stream on Linux and reads as nothing; it is not an empty program.
    std::error_code ignored;
    if (std::filesystem::is_directory(path, ignored)) {
        return cannot_read(path, std::strerror(EISDIR), err);
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) return cannot_read(path, std::strerror(errno), err);
    std::ostringstream text;
    text << file.rdbuf();
    return std::move(text).str();
}

std::optional<hcl::Program> load_program(std::string const& path, std::ostream& err)
{
    auto text = read_text(path, err);
    if (!text) return std::nullopt;
    hcl::Parse_result parsed = hcl::parse_program(*text, path);
    if (auto const* error = std::get_if<hcl::Parse_error>(&parsed)) {
        err << hcl::to_string(*error) << "\n";
        return std::nullopt;
    }
    return std::get<hcl::Program>(std::move(parsed));
}

} // namespace novasim
