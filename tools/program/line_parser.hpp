// The parser's inside: one statement's tokens to an Instruction, with the names bound so far
// (parser.cpp adds the blocks around statements). Not part of the library's interface.
#pragma once

#include "program/name_text.hpp"
#include "program/program.hpp"

#include <bitset>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hcl {

struct Token {
    std::string_view text;
    std::uint32_t column;
};

// Raised inside the parser and turned into a Parse_error at the top: a malformed statement has
// no partial meaning, so there is nothing to unwind but the parse itself.
struct Syntax_error {
    Source_location where;
    std::string message;
};

// The names bound so far, and where; the predefined ones have no place (line 0).
class Name_scope {
  public:
    // Binds `name` (and, for a thread, `name.sc`); fails if it is bound already.
    void bind(std::string_view name, Source_location where, Form const& form);
    void use(std::string_view name, Source_location where) const;

  private:
    std::optional<Source_location> where_bound(std::string_view name) const;

    Local_name_map<Source_location> bound_; // looked up for every name written; not predefined ones
};

class Line_parser {
  public:
    // `tokens` (at least one) must outlive the parser.
    Line_parser(std::span<Token const> tokens, std::uint32_t line, Name_scope& names)
        : tokens_{tokens}, line_{line}, names_{names}
    {
    }

    // Fills `instruction`, a blank one (Instruction{}), in place: an Instruction is large.
    void parse(Instruction& instruction);

  private:
    struct Assignment {
        std::string_view key;
        std::string_view value;
        std::uint32_t value_column;
    };
    static std::optional<Assignment> split_assignment(Token const& token);

    Token const* peek() const { return next_ < tokens_.size() ? &tokens_[next_] : nullptr; }
    bool at_arrow() const { return peek() != nullptr && peek()->text == "->"; }
    Token const& take() { return tokens_[next_++]; }

    [[noreturn]] void fail_at(std::uint32_t column, std::string const& expected,
                              std::string const& found) const;
    [[noreturn]] void fail(Token const* token, std::string const& expected) const;

    Form const& parse_mnemonic();
    void parse_selector(Instruction& instruction);
    void parse_arguments(Instruction& instruction);
    void parse_operand(Instruction& instruction, Token const& token, Assignment const& assignment);
    bool parse_message(Instruction& instruction, Token const& token, Assignment const& assignment);
    void check_message_size(Message const& message, std::uint32_t column) const;
    void parse_flag(Call& call, Token const& token);
    void check_required(Form const& form) const;
    Expectation parse_expectation(Form const& form);
    void parse_output(Form const& form, Expectation& expect, Token const& token);
    Named_value read_value(Operand const& operand, std::string_view text, std::uint32_t column);
    template <typename Result>
    auto checked(Result result, std::uint32_t column) -> std::variant_alternative_t<0, Result>;
    void use_name(std::string_view name, std::uint32_t column) const;

    std::span<Token const> tokens_;
    std::uint32_t line_;
    Name_scope& names_;
    std::size_t next_{0};
    std::bitset<max_operands + 2> written_; // operands (then words=, items=) already written
};

} // namespace hcl
