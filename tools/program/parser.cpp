#include "program/parser.hpp"

#include "program/line_parser.hpp"
#include "program/resources.hpp"

#include <fmt/format.h>

#include <array>

namespace hcl {

namespace {

// A piece of the text: a statement's tokens, or a block's `{` or `}`. `;` and the end of a line
// end a statement; `{` and `}` are pieces of their own.
struct Piece {
    enum class Kind : std::uint8_t { statement, open, close } kind;
    std::size_t first_token{0}, tokens{0}; // a statement's, in the splitter's one list
    Source_location where;                 // of the first token, the `{` or the `}`
};

// What a character is to the splitter. Everything else belongs to a token.
enum class Char_kind : std::uint8_t { token, blank, delimiter, comment, newline };

constexpr std::array<Char_kind, 256> char_kinds = [] {
    std::array<Char_kind, 256> kinds{};
    for (unsigned char c : {' ', '\t', '\r'}) kinds[c] = Char_kind::blank;
    for (unsigned char c : {';', '{', '}'}) kinds[c] = Char_kind::delimiter;
    kinds['#'] = Char_kind::comment;
    kinds['\n'] = Char_kind::newline;
    return kinds;
}();

Char_kind kind_of(char c)
{
    return char_kinds[static_cast<unsigned char>(c)];
}

// All tokens go in one list, each statement's together, rather than a list (an allocation) per
// statement. The text is read once, a character at a time: a table says what each one is.
class Splitter {
  public:
    explicit Splitter(std::string_view text);
    std::vector<Piece> take_pieces() { return std::move(pieces_); }
    std::vector<Token> take_tokens() { return std::move(tokens_); }

  private:
    std::size_t add_token(std::string_view text, std::size_t begin);
    void add_delimiter(char c, std::size_t pos);
    void end_line(std::size_t next_line_start);
    void end_statement()
    {
        std::size_t count = tokens_.size() - statement_start_;
        if (count != 0) {
            Source_location where{line_, tokens_[statement_start_].column};
            pieces_.push_back({Piece::Kind::statement, statement_start_, count, where});
        }
        statement_start_ = tokens_.size();
    }
    std::uint32_t column_of(std::size_t pos) const
    {
        return static_cast<std::uint32_t>(pos - line_start_ + 1);
    }

    std::vector<Piece> pieces_;
    std::vector<Token> tokens_;
    std::size_t statement_start_{0};
    std::uint32_t line_{1};
    std::size_t line_start_{0}; // where line_ begins in the text
};

Splitter::Splitter(std::string_view text)
{
    tokens_.reserve(text.size() / 6); // a token and its blank take 7 bytes on average
    std::size_t pos = 0;
    while (pos < text.size()) {
        switch (kind_of(text[pos])) {
        case Char_kind::token:
            pos = add_token(text, pos);
            break;
        case Char_kind::blank:
            ++pos;
            break;
        case Char_kind::delimiter:
            add_delimiter(text[pos], pos);
            ++pos;
            break;
        case Char_kind::comment:
            pos = std::min(text.find('\n', pos), text.size());
            break;
        case Char_kind::newline:
            end_line(++pos);
            break;
        }
    }
    end_statement();
}

std::size_t Splitter::add_token(std::string_view text, std::size_t begin)
{
    std::size_t end = begin + 1;
    while (end < text.size() && kind_of(text[end]) == Char_kind::token) ++end;
    tokens_.push_back({text.substr(begin, end - begin), column_of(begin)});
    return end;
}

// `;` ends a statement; `{` and `}` end one too and are pieces of their own.
void Splitter::add_delimiter(char c, std::size_t pos)
{
    end_statement();
    if (c == ';') return;
    Piece::Kind kind = c == '{' ? Piece::Kind::open : Piece::Kind::close;
    pieces_.push_back({kind, 0, 0, {line_, column_of(pos)}});
}

void Splitter::end_line(std::size_t next_line_start)
{
    end_statement();
    ++line_;
    line_start_ = next_line_start;
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
    void parse_statement(Piece const& piece, bool nested, Instruction& instruction);
    void attach_block(Instruction& instruction);

    std::vector<Piece> pieces_;
    std::vector<Token> tokens_;
    std::size_t next_{0};
    Name_scope names_;
};

std::vector<Instruction> Block_parser::parse_block(Piece const* open)
{
    std::vector<Instruction> block;
    // The program's own block gets room for every statement, so no instruction is moved.
    if (open == nullptr) block.reserve(pieces_.size());
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
        parse_statement(piece, open != nullptr, block.emplace_back());
    }
    if (open != nullptr) fail(open->where, "expected '}' closing this block, got end of file");
    return block;
}

void Block_parser::parse_statement(Piece const& piece, bool nested, Instruction& instruction)
{
    std::span<Token const> tokens{tokens_.data() + piece.first_token, piece.tokens};
    Line_parser(tokens, piece.where.line, names_).parse(instruction);
    Form const& form = *instruction.call.form;
    if (nested && form.declaration) {
        fail(piece.where,
             fmt::format("expected a call (declarations belong at top level), got '{}'",
                         form.mnemonic));
    }
    if (form.block) attach_block(instruction);
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
    Splitter splitter{text};
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
