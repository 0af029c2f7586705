#include "sim/processor.hpp"

#include <algorithm>

namespace sim {

unsigned Processor::take_due_ipis()
{
    auto end = ipis_.upper_bound(clock_);
    auto n = static_cast<unsigned>(std::distance(ipis_.begin(), end));
    ipis_.erase(ipis_.begin(), end);
    return n;
}

std::uint64_t Processor::wake_time() const
{
    if (state_ != State::idle) return clock_;
    std::uint64_t event = std::min(timer_, first_ipi());
    return event == never ? never : std::max(event, clock_);
}

} // namespace sim
