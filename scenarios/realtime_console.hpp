// The terminal of a real-time run (internal): while the machine, idle, waits for the host's clock
// to catch up with simulated time (the engine's pace hook), a Boost.Asio loop reads host input
// (the terminal, or a pipe in tests) for the guests' COM1.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace scenarios {

class Realtime_console {
  public:
    // `input` is a file descriptor to read (-1: none); `tsc_khz` the machine's TSC rate.
    Realtime_console(int input, std::uint32_t tsc_khz);

    // Returns once the host's clock has reached simulated time `tsc`, serving input meanwhile.
    void pace(std::uint64_t tsc);
    // The next byte of input, if any has come.
    std::optional<std::uint8_t> take();

  private:
    using Clock = std::chrono::steady_clock;

    void read_more();

    boost::asio::io_context io_;
    std::optional<boost::asio::posix::stream_descriptor> input_;
    std::array<std::uint8_t, 256> buffer_{};
    std::deque<std::uint8_t> bytes_; // read, not yet taken by the VMM
    Clock::time_point start_{Clock::now()};
    std::uint32_t tsc_khz_;
};

} // namespace scenarios
