// The few names every part of the VMM library shares: fixed-width integers, vCPU numbers and
// the error a bad configuration raises.
//
// Ownership throughout the library: whoever wires the machine (Pc_board, a test, the vCPU side)
// owns every object; a device holds references to the bus, the timer queue, the control
// interfaces and its peer, which it does not own and which must outlive it. All of it runs on
// the VMM's one thread, so no field needs a lock.
#pragma once

#include <cstdint>
#include <stdexcept>

namespace vmm {

using u8 = std::uint8_t;
using u16 = std::uint16_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

// A vCPU's index in its machine, 0 being the bootstrap processor. The xAPIC ID defaults to it.
using Vcpu_id = unsigned;

// A VMM that is wired wrongly (overlapping device ranges, a zero timer frequency, a fw_cfg file
// name that does not fit) is refused with this, saying what is wrong. Guest actions never raise
// it: a guest cannot change the wiring.
class Config_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

} // namespace vmm
