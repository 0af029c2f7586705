#include "program/parser.hpp"

#include "program/operand_text.hpp"
#include "program/status_text.hpp"

#include <algorithm>
#include <bitset>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace hcl {

namespace {

constexpr std::string_view arrow = "->";

struct Token {
    std::string_view text;
    std::uint32_t column;
};

// Raised inside the parser and turned into a Parse_error at the top: a malformed line has no
// partial meaning, so there is nothing to unwind but the parse itself.
struct Syntax_error {
    Source_location where;
    std::string message;
};

bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

// Whitespace-separated tokens up to the end of the line or a `#` comment.
std::vector<Token> tokenize(std::string_view line)
{
    std::vector<Token> tokens;
    std::size_t pos = 0;
    while (pos < line.size() && line[pos] != '#') {
        if (is_blank(line[pos])) {
            ++pos;
            continue;
        }
        std::size_t end = pos;
        while (end < line.size() && !is_blank(line[end]) && line[end] != '#') ++end;
        tokens.push_back({line.substr(pos, end - pos), static_cast<std::uint32_t>(pos + 1)});
        pos = end;
    }
    return tokens;
}

std::string quoted(std::string_view text)
{
    return text.empty() ? "nothing" : fmt::format("'{}'", text);
}

// "owner=, crd=, global": what a form lets you write.
std::string names_of(std::span<Operand const> operands, std::span<Flag_word const> flags = {})
{
    std::vector<std::string> names;
    for (Operand const& operand : operands) names.push_back(fmt::format("{}=", operand.name));
    for (Flag_word const& flag : flags) names.emplace_back(flag.name);
    return fmt::format("{}", fmt::join(names, ", "));
}

std::string argument_expectation(Form const& form)
{
    if (form.operands.empty() && form.flags.empty()) {
        return fmt::format("'->' or end of line ({} takes no operands)", form.mnemonic);
    }
    return fmt::format("an operand of {} ({})", form.mnemonic, names_of(form.operands, form.flags));
}

std::string output_expectation(Form const& form)
{
    if (form.outputs.empty()) return fmt::format("end of line ({} has no outputs)", form.mnemonic);
    return fmt::format("an output of {} ({}) or end of line", form.mnemonic,
                       names_of(form.outputs));
}

std::string mnemonic_list()
{
    std::vector<std::string_view> names;
    for (Form const& form : all_forms()) names.push_back(form.mnemonic);
    return fmt::format("{}", fmt::join(names, ", "));
}

// A `key=value` token split at the `=`.
struct Assignment {
    std::string_view key;
    std::string_view value;
    std::uint32_t value_column;
};

std::optional<Assignment> split_assignment(Token const& token)
{
    std::size_t equals = token.text.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    return Assignment{token.text.substr(0, equals), token.text.substr(equals + 1),
                      token.column + static_cast<std::uint32_t>(equals) + 1};
}

// Parses the tokens of one line into an instruction, left to right.
class Line_parser {
  public:
    Line_parser(std::vector<Token> tokens, std::uint32_t line)
        : tokens_{std::move(tokens)}, line_{line}
    {
    }

    Instruction parse();

  private:
    Token const* peek() const { return next_ < tokens_.size() ? &tokens_[next_] : nullptr; }
    bool at_arrow() const { return peek() != nullptr && peek()->text == arrow; }
    Token const& take() { return tokens_[next_++]; }

    [[noreturn]] void fail_at(std::uint32_t column, std::string const& expected,
                              std::string const& found) const;
    [[noreturn]] void fail(Token const* token, std::string const& expected) const;

    Form const& parse_mnemonic();
    void parse_selector(Call& call);
    void parse_arguments(Call& call);
    void parse_operand(Call& call, Token const& token, Assignment const& assignment);
    void parse_flag(Call& call, Token const& token);
    void check_required(Form const& form) const;
    Expectation parse_expectation(Form const& form);
    void parse_output(Form const& form, Expectation& expect, Token const& token);
    std::uint64_t read_value(Operand const& operand, std::string_view text, std::uint32_t column);

    std::vector<Token> tokens_;
    std::uint32_t line_;
    std::size_t next_{0};
    std::bitset<max_operands> written_; // operands of the current call already written
};

void Line_parser::fail_at(std::uint32_t column, std::string const& expected,
                          std::string const& found) const
{
    throw Syntax_error{{line_, column}, fmt::format("expected {}, got {}", expected, found)};
}

// Fails pointing at `token`, or just past the last token when the line ended too early.
void Line_parser::fail(Token const* token, std::string const& expected) const
{
    if (token != nullptr) fail_at(token->column, expected, quoted(token->text));
    Token const& last = tokens_.back();
    fail_at(last.column + static_cast<std::uint32_t>(last.text.size()), expected, "end of line");
}

Instruction Line_parser::parse()
{
    Instruction instruction{};
    instruction.where = {line_, tokens_.front().column};
    Form const& form = parse_mnemonic();
    instruction.call = blank_call(form);
    if (form.has_selector) parse_selector(instruction.call);
    parse_arguments(instruction.call);
    check_required(form);
    if (at_arrow()) {
        take();
        instruction.expect = parse_expectation(form);
    }
    return instruction;
}

Form const& Line_parser::parse_mnemonic()
{
    Token const& token = take();
    Form const* form = find_form(token.text);
    if (form == nullptr) {
        fail(&token, fmt::format("a hypercall or kernel function ({})", mnemonic_list()));
    }
    return *form;
}

void Line_parser::parse_selector(Call& call)
{
    Token const* token = peek();
    if (token == nullptr || at_arrow() || split_assignment(*token)) {
        fail(token, fmt::format("a selector after {}", call.form->mnemonic));
    }
    call.selector = read_value(selector_operand(), take().text, token->column);
}

void Line_parser::parse_arguments(Call& call)
{
    written_.reset();
    while (peek() != nullptr && !at_arrow()) {
        Token const& token = take();
        if (auto assignment = split_assignment(token)) {
            parse_operand(call, token, *assignment);
        } else {
            parse_flag(call, token);
        }
    }
}

void Line_parser::parse_operand(Call& call, Token const& token, Assignment const& assignment)
{
    Form const& form = *call.form;
    auto index = form.operand_index(assignment.key);
    if (!index) {
        fail(&token, argument_expectation(form));
    }
    if (written_.test(*index)) fail(&token, "each operand once");
    written_.set(*index);
    call.operands[*index] =
        read_value(form.operands[*index], assignment.value, assignment.value_column);
}

void Line_parser::parse_flag(Call& call, Token const& token)
{
    Form const& form = *call.form;
    auto bit = form.flag_bit(token.text);
    if (!bit) fail(&token, argument_expectation(form));
    if ((call.flags & *bit) != 0) fail(&token, "each flag once");
    call.flags = static_cast<std::uint8_t>(call.flags | *bit);
}

void Line_parser::check_required(Form const& form) const
{
    for (std::size_t i = 0; i < form.operands.size(); ++i) {
        if (form.operands[i].required && !written_.test(i)) {
            fail(peek(), fmt::format("{}= (required by {})", form.operands[i].name, form.mnemonic));
        }
    }
}

Expectation Line_parser::parse_expectation(Form const& form)
{
    Token const* token = peek();
    auto status = token ? parse_status(token->text) : std::optional<nova::Status>{};
    if (!status) fail(token, fmt::format("a status ({})", status_list()));
    take();
    Expectation expect{*status, {}};
    written_.reset();
    while (peek() != nullptr) parse_output(form, expect, take());
    return expect;
}

void Line_parser::parse_output(Form const& form, Expectation& expect, Token const& token)
{
    if (expect.status != nova::Status::success) {
        fail(&token, "end of line (outputs are defined only on SUCCESS)");
    }
    auto assignment = split_assignment(token);
    auto index = assignment ? form.output_index(assignment->key) : std::nullopt;
    if (!index) {
        fail(&token, output_expectation(form));
    }
    if (written_.test(*index)) fail(&token, "each output once");
    written_.set(*index);
    expect.outputs[*index] =
        read_value(form.outputs[*index], assignment->value, assignment->value_column);
}

std::uint64_t Line_parser::read_value(Operand const& operand, std::string_view text,
                                      std::uint32_t column)
{
    Value_result value = parse_operand_value(operand, text);
    if (auto const* error = std::get_if<Value_error>(&value)) {
        fail_at(column + static_cast<std::uint32_t>(error->offset), error->expected,
                quoted(error->found));
    }
    return std::get<std::uint64_t>(value);
}

} // namespace

std::string to_string(Parse_error const& error)
{
    return fmt::format("{}:{}:{}: error: {}", error.file, error.where.line, error.where.column,
                       error.message);
}

Parse_result parse_program(std::string_view text, std::string_view filename)
{
    Program program;
    std::uint32_t line_number = 0;
    for (std::size_t begin = 0; begin < text.size();) {
        std::size_t end = std::min(text.find('\n', begin), text.size());
        ++line_number;
        std::vector<Token> tokens = tokenize(text.substr(begin, end - begin));
        begin = end + 1;
        if (tokens.empty()) continue;
        try {
            program.instructions.push_back(Line_parser(std::move(tokens), line_number).parse());
        } catch (Syntax_error const& error) {
            return Parse_error{std::string(filename), error.where, error.message};
        }
    }
    return program;
}

} // namespace hcl
