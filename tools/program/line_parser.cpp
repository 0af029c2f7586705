#include "program/line_parser.hpp"

#include "program/message_text.hpp"
#include "program/resources.hpp"
#include "program/status_text.hpp"

#include "nova/utcb.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace hcl {

namespace {

constexpr std::size_t words_bit = max_operands;
constexpr std::size_t items_bit = max_operands + 1;

std::string quoted(std::string_view text)
{
    return text.empty() ? "nothing" : fmt::format("'{}'", text);
}

// "owner=, crd=, global": what a form lets you write.
std::string names_of(std::span<Operand const> operands, std::span<Flag_word const> flags = {},
                     bool message = false)
{
    std::vector<std::string> names;
    for (Operand const& operand : operands) names.push_back(fmt::format("{}=", operand.name));
    if (message) names.insert(names.end(), {"words=", "items="});
    for (Flag_word const& flag : flags) names.emplace_back(flag.name);
    return fmt::format("{}", fmt::join(names, ", "));
}

std::string argument_expectation(Form const& form)
{
    if (form.operands.empty() && form.flags.empty() && !form.message) {
        return fmt::format("'->' or end of line ({} takes no operands)", form.mnemonic);
    }
    return fmt::format("an operand of {} ({})", form.mnemonic,
                       names_of(form.operands, form.flags, form.message));
}

bool returns_words(Form const& form)
{
    return form.message && form.has_selector; // call, not reply
}

std::string output_expectation(Form const& form)
{
    if (returns_words(form)) return "an output of call (words=) or end of line";
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

std::string where_text(Source_location where)
{
    if (where.line == 0) return "predefined";
    return fmt::format("bound at {}:{}", where.line, where.column);
}

} // namespace

std::optional<Source_location> Name_scope::where_bound(std::string_view name) const
{
    for (Predefined_name const& predefined : predefined_selectors) {
        if (predefined.name == name) return Source_location{};
    }
    auto it = bound_->find(name);
    if (it == bound_->end()) return std::nullopt;
    return it->second;
}

void Name_scope::bind(std::string_view name, Source_location where, Form const& form)
{
    if (auto bound = where_bound(name)) {
        throw Syntax_error{where, fmt::format("expected a new name ({} is {}), got '{}'", name,
                                              where_text(*bound), name)};
    }
    bound_->emplace(name, where);
    if (form.declaration == Declaration::thread) {
        bound_->insert_or_assign(std::string(name) + ".sc", where);
    }
}

void Name_scope::use(std::string_view name, Source_location where) const
{
    if (where_bound(name)) return;
    throw Syntax_error{where, fmt::format("expected a bound name (a create_* or declaration "
                                          "before it binds one), got '{}'",
                                          name)};
}

std::optional<Line_parser::Assignment> Line_parser::split_assignment(Token const& token)
{
    std::size_t equals = token.text.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    return Assignment{token.text.substr(0, equals), token.text.substr(equals + 1),
                      token.column + static_cast<std::uint32_t>(equals) + 1};
}

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

void Line_parser::parse(Instruction& instruction)
{
    instruction.where = {line_, tokens_.front().column};
    Form const& form = parse_mnemonic();
    instruction.call = blank_call(form);
    if (form.has_selector) parse_selector(instruction);
    parse_arguments(instruction);
    check_required(form);
    if (at_arrow()) {
        take();
        instruction.expect = parse_expectation(form);
    }
}

Form const& Line_parser::parse_mnemonic()
{
    Token const& token = take();
    Form const* form = find_form(token.text);
    if (form == nullptr) {
        fail(&token,
             fmt::format("a hypercall, kernel function or declaration ({})", mnemonic_list()));
    }
    return *form;
}

void Line_parser::parse_selector(Instruction& instruction)
{
    Form const& form = *instruction.call.form;
    Token const* token = peek();
    if (token == nullptr || at_arrow() || split_assignment(*token)) {
        fail(token, fmt::format("a selector after {}", form.mnemonic));
    }
    take();
    if (form.binds() && token->text.starts_with('$')) {
        if (!is_name(token->text)) fail(token, "a name ($ and letters, digits, _ or .)");
        instruction.names[0] = token->text;
        names_.bind(token->text, {line_, token->column}, form);
        return;
    }
    Named_value value = read_value(selector_operand(), token->text, token->column);
    instruction.call.selector = value.value;
    instruction.names[0] = std::move(value.name);
}

void Line_parser::parse_arguments(Instruction& instruction)
{
    written_.reset();
    while (peek() != nullptr && !at_arrow()) {
        Token const& token = take();
        if (auto assignment = split_assignment(token)) {
            if (!parse_message(instruction, token, *assignment)) {
                parse_operand(instruction, token, *assignment);
            }
        } else {
            parse_flag(instruction.call, token);
        }
    }
}

void Line_parser::parse_operand(Instruction& instruction, Token const& token,
                                Assignment const& assignment)
{
    Form const& form = *instruction.call.form;
    auto index = form.operand_index(assignment.key);
    if (!index) fail(&token, argument_expectation(form));
    if (written_.test(*index)) fail(&token, "each operand once");
    written_.set(*index);
    Named_value value =
        read_value(form.operands[*index], assignment.value, assignment.value_column);
    instruction.call.operands[*index] = value.value;
    instruction.names[1 + *index] = std::move(value.name);
    if (value.relative) instruction.relative |= static_cast<std::uint8_t>(1u << *index);
}

// `words=` and `items=` of a form that takes a message; false for any other key.
bool Line_parser::parse_message(Instruction& instruction, Token const& token,
                                Assignment const& assignment)
{
    bool words = assignment.key == "words";
    if (!instruction.call.form->message || (!words && assignment.key != "items")) return false;
    std::size_t bit = words ? words_bit : items_bit;
    if (written_.test(bit)) fail(&token, "each operand once");
    written_.set(bit);
    Message& message = instruction.message;
    if (words) {
        message.words = checked(parse_words(assignment.value), assignment.value_column);
    } else {
        message.items = checked(parse_items(assignment.value), assignment.value_column);
        for (Typed_item const& item : message.items) {
            if (!item.base_name.empty()) use_name(item.base_name, assignment.value_column);
        }
    }
    check_message_size(message, assignment.value_column);
    return true;
}

// A message lives in the UTCB's data area: untyped words from the bottom, two words per typed
// item from the top. More than fits would overwrite itself (or the memory after the UTCB).
void Line_parser::check_message_size(Message const& message, std::uint32_t column) const
{
    std::size_t size = message.words ? message.words->size() : 0;
    size += 2 * message.items.size();
    if (size <= nova::Utcb::words) return;
    fail_at(column,
            fmt::format("a message that fits the UTCB (at most {} words: the untyped words and "
                        "two per typed item)",
                        nova::Utcb::words),
            fmt::format("{} words", size));
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
    Expectation expect{*status, {}, {}, {}};
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
    if (assignment && assignment->key == "words" && returns_words(form)) {
        if (written_.test(words_bit)) fail(&token, "each output once");
        written_.set(words_bit);
        expect.words = checked(parse_words(assignment->value), assignment->value_column);
        return;
    }
    auto index = assignment ? form.output_index(assignment->key) : std::nullopt;
    if (!index) fail(&token, output_expectation(form));
    if (written_.test(*index)) fail(&token, "each output once");
    written_.set(*index);
    Named_value value =
        read_value(form.outputs[*index], assignment->value, assignment->value_column);
    expect.outputs[*index] = value.value;
    expect.output_names[*index] = std::move(value.name);
}

template <typename Result>
auto Line_parser::checked(Result result, std::uint32_t column)
    -> std::variant_alternative_t<0, Result>
{
    if (auto const* error = std::get_if<Value_error>(&result)) {
        fail_at(column + static_cast<std::uint32_t>(error->offset), error->expected,
                quoted(error->found));
    }
    return std::get<0>(std::move(result));
}

void Line_parser::use_name(std::string_view name, std::uint32_t column) const
{
    names_.use(name, {line_, column});
}

Named_value Line_parser::read_value(Operand const& operand, std::string_view text,
                                    std::uint32_t column)
{
    Named_value value = checked(parse_named_value(operand, text), column);
    std::uint32_t name_column = column + (operand.kind == Value_kind::crd ? 4 : 0);
    if (!value.name.empty()) use_name(value.name, name_column);
    return value;
}

} // namespace hcl
