#include "vmm/irq.hpp"

#include <fmt/format.h>

namespace vmm {

namespace {

void check_line(unsigned line)
{
    if (line >= Irq_lines::count)
        throw Config_error(fmt::format("IRQ line {} does not exist (the machine has 0-{})", line,
                                       Irq_lines::count - 1));
}

} // namespace

void Irq_lines::connect(unsigned line, Irq_sink& sink, unsigned pin)
{
    check_line(line);
    taps_[line].push_back({&sink, pin});
    if (levels_[line]) sink.irq_level(pin, true); // a late sink sees the wire as it is
}

void Irq_lines::set(unsigned line, bool level)
{
    if (line >= count || levels_[line] == level) return;
    levels_[line] = level;
    for (Tap const& tap : taps_[line]) tap.sink->irq_level(tap.pin, level);
}

Irq_line::Irq_line(Irq_lines& lines, unsigned line) : lines_(&lines), line_(line)
{
    check_line(line);
}

void Irq_line::pulse()
{
    lower();
    raise();
    lower();
}

} // namespace vmm
