// Reads the text of a hypercall program (grammar in tools/README.md). The first malformed line
// stops the parse with an error that names the file, line and column of the offending token.
#pragma once

#include "program/program.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace hcl {

struct Parse_error {
    std::string file;
    Source_location where;
    std::string message; // "expected ..., got ..."
};

// "FILE:LINE:COLUMN: error: expected ..., got ...", the form editors and CI logs understand.
std::string to_string(Parse_error const& error);

using Parse_result = std::variant<Program, Parse_error>;

Parse_result parse_program(std::string_view text, std::string_view filename);

} // namespace hcl
