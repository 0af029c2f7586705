#include "realtime_console.hpp"

#include <boost/asio/buffer.hpp>
#include <thread>
#include <unistd.h>

namespace scenarios {

Realtime_console::Realtime_console(int input, std::uint32_t tsc_khz) : tsc_khz_{tsc_khz}
{
    if (input < 0) return;
    input_.emplace(io_, ::dup(input)); // the descriptor stays open for its owner
    read_more();
}

void Realtime_console::read_more()
{
    input_->async_read_some(boost::asio::buffer(buffer_),
                            [this](boost::system::error_code error, std::size_t n) {
                                bytes_.insert(bytes_.end(), buffer_.begin(), buffer_.begin() + n);
                                if (!error) read_more(); // EOF or an error ends the input
                            });
}

void Realtime_console::pace(std::uint64_t tsc)
{
    auto due = start_ + std::chrono::microseconds(tsc * 1000 / tsc_khz_);
    io_.restart();
    io_.run_until(due);
    std::this_thread::sleep_until(due); // when there was nothing to wait for on the loop
}

std::optional<std::uint8_t> Realtime_console::take()
{
    if (bytes_.empty()) {
        io_.restart();
        io_.poll(); // input that came while the machine was busy
    }
    if (bytes_.empty()) return std::nullopt;
    std::uint8_t b = bytes_.front();
    bytes_.pop_front();
    return b;
}

} // namespace scenarios
