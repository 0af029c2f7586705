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

} // namespace sim
