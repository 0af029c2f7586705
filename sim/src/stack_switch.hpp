// Tells AddressSanitizer when the host thread moves between the stacks of flows, so that it
// knows which stack is live (its false alarms otherwise). The build picks the implementation:
// stack_switch_asan.cpp under the sanitizers, stack_switch_plain.cpp (no-ops) elsewhere.
#pragma once

#include <cstddef>

namespace sim::stack_switch {

struct Bounds {
    void const* bottom{nullptr};
    std::size_t size{0};
};

// Before leaving for stack `to`. `token` keeps what the sanitizer needs to come back to the
// current stack; nullptr when the current stack ends for good.
void start(void** token, Bounds to);
// After arriving: `token` is what start() saved when this stack was left (nullptr on its first
// entry); `from`, if not nullptr, receives the stack we came from.
void finish(void* token, Bounds* from);
// Before a stack serves another flow: whatever the last one's frames left marked is forgotten.
void reuse(Bounds stack);

} // namespace sim::stack_switch
