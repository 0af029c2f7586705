#include "execution.hpp"

#include "program/parser.hpp"
#include "program/printer.hpp"
#include "proven_program.hpp"

#include <cctype>
#include <exception>
#include <sstream>

namespace fuzz {

namespace {

Finding finding_of(hcl::Oracle oracle)
{
    switch (oracle) {
    case hcl::Oracle::invariant:
        return Finding::invariant;
    case hcl::Oracle::model:
        return Finding::model;
    case hcl::Oracle::simulation:
        return Finding::simulation;
    case hcl::Oracle::none:
        break;
    }
    return Finding::none;
}

bool is_digit(char c)
{
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

} // namespace

std::string numbers_blanked(std::string_view text)
{
    std::string_view line = text.substr(0, text.find('\n'));
    std::string out;
    for (std::size_t i = 0; i < line.size();) {
        if (!is_digit(line[i])) {
            out += line[i++];
            continue;
        }
        if (line.substr(i, 2) == "0x") i += 2;
        while (i < line.size() && std::isxdigit(static_cast<unsigned char>(line[i])) != 0) ++i;
        out += '#';
    }
    return out;
}

namespace {

// The invariant's name: between "kernel invariant broken: " and " (detail".
std::string invariant_name(std::string const& report)
{
    constexpr std::string_view marker = "kernel invariant broken: ";
    std::size_t begin = report.find(marker);
    if (begin == std::string::npos) return numbers_blanked(report);
    begin += marker.size();
    return report.substr(begin, report.find(" (detail", begin) - begin);
}

// When `input` is the printed program itself (the mutators print every program they make),
// parsing the printed text gives what parsing the input gave: the program.
bool round_trips(hcl::Program const& program, std::string_view input = {})
{
    std::string printed = hcl::format_program(program);
    if (!input.empty() && printed == input) return true;
    hcl::Parse_result again = hcl::parse_program(printed, "printed");
    auto const* reparsed = std::get_if<hcl::Program>(&again);
    return reparsed != nullptr && *reparsed == program;
}

// A program whose text round-trips.
Execution execute_proven(hcl::Program const& program, fuzzprog::Call_observer* observer)
{
    Execution execution;
    execution.parsed = true;
    std::ostringstream errors;
    try {
        fuzzprog::Program_run run{
            program, "input.hcl", {.trace = false, .observer = observer}, errors};
        std::optional<hcl::Run_summary> summary = run.run();
        if (summary) {
            execution.finding = finding_of(summary->fired);
            execution.calls = summary->executed;
            execution.model_off = summary->model_off;
        }
    } catch (std::exception const& error) {
        execution.finding = Finding::exception;
        errors << "an exception left the runner: " << error.what() << "\n";
    }
    if (execution.found()) execution.report = errors.str();
    return execution;
}

Execution execute_parsed(hcl::Program const& program, std::string_view input,
                         fuzzprog::Call_observer* observer)
{
    if (!round_trips(program, input)) {
        Execution execution{.parsed = true, .finding = Finding::round_trip};
        execution.report = "printing the program and parsing it again gives another program\n";
        return execution;
    }
    return execute_proven(program, observer);
}

} // namespace

char const* finding_name(Finding finding)
{
    static char const* const names[] = {"none",       "invariant", "model",
                                        "simulation", "exception", "round_trip"};
    return names[static_cast<unsigned>(finding)];
}

Execution execute(std::string_view text, fuzzprog::Call_observer* observer)
{
    if (std::optional<hcl::Program> mutant = take_proven(text))
        return execute_proven(*mutant, observer);
    hcl::Parse_result parsed = hcl::parse_program(text, "input.hcl");
    auto const* program = std::get_if<hcl::Program>(&parsed);
    if (program == nullptr) return Execution{};
    return execute_parsed(*program, text, observer);
}

Execution execute(hcl::Program const& program, fuzzprog::Call_observer* observer)
{
    return execute_parsed(program, {}, observer);
}

std::string signature(Execution const& execution)
{
    std::string kind = finding_name(execution.finding);
    switch (execution.finding) {
    case Finding::invariant:
        return kind + ": " + invariant_name(execution.report);
    case Finding::simulation:
    case Finding::exception:
        return kind + ": " + numbers_blanked(execution.report);
    default:
        return kind;
    }
}

} // namespace fuzz
