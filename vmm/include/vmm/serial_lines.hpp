// The log end of a serial line: a Serial_peer that cuts what the guest sends into lines and
// hands each to a function (a test, spdlog, a trace). The console end, in real-time mode, is
// the vCPU side's.
#pragma once

#include "vmm/devices/uart16550.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace vmm {

class Serial_lines final : public Serial_peer {
  public:
    // A guest that never ends a line cannot make this grow without bound: a line longer than
    // this is handed on in pieces of this length.
    static constexpr std::size_t max_line = 4096;

    explicit Serial_lines(std::function<void(std::string_view)> on_line)
        : on_line_(std::move(on_line))
    {
    }

    // '\n' ends a line; '\r' is dropped.
    void transmit(u8 byte) override;
    // Hands on a partial line, if any (at the end of a run).
    void flush();
    std::string const& partial() const { return partial_; }

  private:
    void flush_line();

    std::function<void(std::string_view)> on_line_;
    std::string partial_;
};

} // namespace vmm
