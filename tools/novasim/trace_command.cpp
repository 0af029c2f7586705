#include "trace_command.hpp"

#include "exit_code.hpp"
#include "source_file.hpp"
#include "trace/chrome_export.hpp"
#include "trace/event_names.hpp"
#include "trace/trace_dump.hpp"
#include "trace/trace_info.hpp"
#include "trace/trace_stats.hpp"

#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>

namespace novasim {

namespace {

using Tool = Trace_options::Tool;

CLI::App* add_tool(CLI::App& trace, char const* name, char const* what, Trace_options& options,
                   Tool tool)
{
    CLI::App* command = trace.add_subcommand(name, what);
    command->add_option("FILE", options.file, "The trace file")->required();
    command->callback([&options, tool] { options.tool = tool; });
    return command;
}

void add_dump_options(CLI::App& dump, Trace_options& options)
{
    dump.add_option("--vcpu", options.vcpus, "Only this vCPU's records (repeatable)");
    dump.add_option("--event", options.events,
                    "Only stretches, messages and replies of this event: a number (0x1e, 30) or "
                    "a name (io, hlt, ept_violation, ...) (repeatable)");
    dump.add_option("--from", options.from, "Start at the message of this event (#N)");
    dump.add_option("--count", options.count, "Print at most this many lines");
}

std::optional<std::set<nova::mword>> parse_events(std::vector<std::string> const& texts)
{
    std::set<nova::mword> events;
    for (std::string const& text : texts) {
        std::optional<nova::mword> event = trace_tools::parse_event(text);
        if (!event) {
            std::cerr << fmt::format("novasim: error: --event {}: not an event novasim delivers "
                                     "(a number, or one of {})\n",
                                     text, trace_tools::event_keywords());
            return std::nullopt;
        }
        events.insert(*event);
    }
    return events;
}

// The whole file, checked; on failure the reason is on standard error.
std::optional<trace_tools::Opened_trace> open(std::string const& file)
{
    std::optional<std::string> text = read_text(file, std::cerr);
    if (!text) return std::nullopt;
    try {
        auto opened =
            trace_tools::open_trace(std::vector<std::uint8_t>(text->begin(), text->end()));
        if (opened.tail_at)
            std::cerr << fmt::format("novasim: warning: {}: the file ends inside the chunk at byte "
                                     "{}; its records are lost (was the recorder killed?)\n",
                                     file, *opened.tail_at);
        return opened;
    } catch (kvm::trace::Format_error const& e) {
        std::cerr << fmt::format("novasim: error: {}: {}\n", file, e.what());
        return std::nullopt;
    }
}

int dump(Trace_options const& options, std::set<nova::mword> const& events,
         trace_tools::Opened_trace& trace)
{
    std::uint64_t known = trace.summary.events;
    if (options.from > 0 && options.from >= known) {
        std::cerr << fmt::format("novasim: error: --from {}: {} has {} events\n", options.from,
                                 options.file, known);
        return exit_unusable;
    }
    trace_tools::Dump_filter filter{
        {options.vcpus.begin(), options.vcpus.end()}, events, options.from, options.count};
    trace_tools::dump(trace.reader, filter, std::cout);
    return exit_ok;
}

int export_chrome(Trace_options const& options, trace_tools::Opened_trace& trace)
{
    if (options.output.empty()) {
        trace_tools::export_chrome(trace, std::cout);
        return exit_ok;
    }
    std::ofstream out{options.output, std::ios::binary};
    if (out) trace_tools::export_chrome(trace, out);
    if (!out.flush()) {
        std::cerr << fmt::format("novasim: error: cannot write '{}'\n", options.output);
        return exit_unusable;
    }
    return exit_ok;
}

CLI::App* add_trace_command(CLI::App& app, Trace_options& options)
{
    CLI::App* trace = app.add_subcommand("trace", "Read a VM-exit trace (tools/TRACE_FORMAT.md)");
    trace->require_subcommand(1);
    add_tool(*trace, "info", "The header and what the file holds", options, Tool::info);
    CLI::App* dump = add_tool(*trace, "dump", "One line per record", options, Tool::dump);
    add_dump_options(*dump, options);
    add_tool(*trace, "stats", "Exits per vCPU and event, with simulated time; dispatches per CPU",
             options, Tool::stats);
    CLI::App* exp =
        add_tool(*trace, "export", "Convert for a trace viewer", options, Tool::export_chrome);
    exp->add_flag("--chrome", options.chrome,
                  "Chrome Trace Event JSON, for Perfetto and chrome://tracing")
        ->required();
    exp->add_option("-o,--output", options.output, "Write here instead of standard output");
    return trace;
}

int run_trace_command(Trace_options const& options)
{
    std::optional<std::set<nova::mword>> events = parse_events(options.events);
    if (!events) return exit_unusable;
    std::optional<trace_tools::Opened_trace> trace = open(options.file);
    if (!trace) return exit_unusable;
    switch (options.tool) {
    case Tool::info:
        trace_tools::print_info(options.file, *trace, std::cout);
        return exit_ok;
    case Tool::dump:
        return dump(options, *events, *trace);
    case Tool::stats:
        trace_tools::print_stats(*trace, std::cout);
        return exit_ok;
    case Tool::export_chrome:
        return export_chrome(options, *trace);
    }
    return exit_unusable;
}

} // namespace

Trace_command::Trace_command(CLI::App& app) : command_{add_trace_command(app, options_)}
{
}

int Trace_command::run() const
{
    return run_trace_command(options_);
}

} // namespace novasim
