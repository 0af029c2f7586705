#include "vmm/serial_lines.hpp"

namespace vmm {

void Serial_lines::transmit(u8 byte)
{
    if (byte == '\r') return;
    if (byte == '\n') return flush_line();
    partial_.push_back(static_cast<char>(byte));
    if (partial_.size() == max_line) flush_line();
}

void Serial_lines::flush()
{
    if (!partial_.empty()) flush_line();
}

void Serial_lines::flush_line()
{
    std::string line;
    line.swap(partial_);
    on_line_(line);
}

} // namespace vmm
