// The parsed program of a test's text; a parse error fails the test (and gives an empty program).
#pragma once

#include "program/parser.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace hcl::testing {

inline Program parsed(std::string_view text, std::string_view file = "test.hcl")
{
    Parse_result result = parse_program(text, file);
    if (auto const* error = std::get_if<Parse_error>(&result)) {
        ADD_FAILURE() << to_string(*error);
        return {};
    }
    return std::get<Program>(result);
}

} // namespace hcl::testing
