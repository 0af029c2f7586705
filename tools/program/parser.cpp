#include "program/parser.hpp"

#include "program/line_parser.hpp"
#include "program/resources.hpp"

#include <fmt/format.h>

namespace hcl {

namespace {

// A piece of the text: a statement's tokens, or a block's `{` or `}`. `;` and the end of a line
// end a statement; `{` and `}` are pieces of their own.
struct Piece {
    enum class Kind : std::uint8_t { statement, open, close } kind;
    std::size_t first_token{0}, tokens{0}; // a statement's, in the splitter's one list
    Source_location where;                 // of the first token, the `{` or the `}`
};

bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

bool is_delimiter(char c)
{
    return c == ';' || c == '{' || c == '}';
}

// All tokens go in one list, each statement's together, rather than a list (an allocation) per
// statement.
class Splitter {
  public:
    void add_line(std::string_view line, std::uint32_t number);
    std::vector<Piece> take_pieces() { return std::move(pieces_); }
    std::vector<Token> take_tokens() { return std::move(tokens_); }

  private:
    void end_statement()
    {
        std::size_t count = tokens_.size() - statement_start_;
        if (count != 0) {
            Source_location where{line_, tokens_[statement_start_].column};
            pieces_.push_back({Piece::Kind::statement, statement_start_, count, where});
        }
        statement_start_ = tokens_.size();
    }

    std::vector<Piece> pieces_;
    std::vector<Token> tokens_;
    std::size_t statement_start_{0};
    std::uint32_t line_{0};
};

void Splitter::add_line(std::string_view line, std::uint32_t number)
{
    line_ = number;
    std::size_t pos = 0;
    while (pos < line.size() && line[pos] != '#') {
        char c = line[pos];
        auto column = static_cast<std::uint32_t>(pos + 1);
        if (is_blank(c) || is_delimiter(c)) {
            if (is_delimiter(c)) end_statement();
            if (c == '{' || c == '}') {
                pieces_.push_back(
                    {c == '{' ? Piece::Kind::open : Piece::Kind::close, 0, 0, {number, column}});
            }
            ++pos;
            continue;
        }
        std::size_t end = pos;
        while (end < line.size() && !is_blank(line[end]) && !is_delimiter(line[end]) &&
               line[end] != '#') {
            ++end;
        }
        tokens_.push_back({line.substr(pos, end - pos), column});
        pos = end;
    }
    end_statement();
}

[[noreturn]] void fail(Source_location where, std::string message)
{
    throw Syntax_error{where, std::move(message)};
}

// Statements and their blocks, from the pieces.
class Block_parser {
  public:
    Block_parser(std::vector<Piece> pieces, std::vector<Token> tokens)
        : pieces_{std::move(pieces)}, tokens_{std::move(tokens)}
    {
    }

    std::vector<Instruction> parse_block(Piece const* open);

  private:
    Instruction parse_statement(Piece const& piece, bool nested);
    void attach_block(Instruction& instruction);

    std::vector<Piece> pieces_;
    std::vector<Token> tokens_;
    std::size_t next_{0};
    Name_scope names_;
};

std::vector<Instruction> Block_parser::parse_block(Piece const* open)
{
    std::vector<Instruction> block;
    while (next_ < pieces_.size()) {
        Piece const& piece = pieces_[next_++];
        if (piece.kind == Piece::Kind::close) {
            if (open != nullptr) return block;
            fail(piece.where, "expected a statement, got '}' (no block is open)");
        }
        if (piece.kind == Piece::Kind::open) {
            fail(piece.where,
                 "expected a statement, got '{' (only portal and thread take a block)");
        }
        block.push_back(parse_statement(piece, open != nullptr));
    }
    if (open != nullptr) fail(open->where, "expected '}' closing this block, got end of file");
    return block;
}

Instruction Block_parser::parse_statement(Piece const& piece, bool nested)
{
    std::span<Token const> tokens{tokens_.data() + piece.first_token, piece.tokens};
    Instruction instruction = Line_parser(tokens, piece.where.line, names_).parse();
    Form const& form = *instruction.call.form;
    if (nested && form.declaration) {
        fail(piece.where,
             fmt::format("expected a call (declarations belong at top level), got '{}'",
                         form.mnemonic));
    }
    if (form.block) attach_block(instruction);
    return instruction;
}

void Block_parser::attach_block(Instruction& instruction)
{
    bool has_open = next_ < pieces_.size() && pieces_[next_].kind == Piece::Kind::open;
    if (!has_open) {
        Source_location after = instruction.where;
        fail(after, fmt::format("expected '{{' after {} (it takes a block of statements)",
                                instruction.call.form->mnemonic));
    }
    Piece const& open = pieces_[next_++];
    instruction.block = parse_block(&open);
}

} // namespace

std::string to_string(Parse_error const& error)
{
    return fmt::format("{}:{}:{}: error: {}", error.file, error.where.line, error.where.column,
                       error.message);
}

Parse_result parse_program(std::string_view text, std::string_view filename)
{
    Splitter splitter;
    std::uint32_t line_number = 0;
    for (std::size_t begin = 0; begin < text.size();) {
        std::size_t end = std::min(text.find('\n', begin), text.size());
        splitter.add_line(text.substr(begin, end - begin), ++line_number);
        begin = end + 1;
    }
    Program program;
    try {
        Block_parser blocks{splitter.take_pieces(), splitter.take_tokens()};
        program.instructions = blocks.parse_block(nullptr);
    } catch (Syntax_error const& error) {
        return Parse_error{std::string(filename), error.where, error.message};
    }
    assign_selectors(program);
    return program;
}

} // namespace hcl
