// AddressSanitizer's fiber interface (sanitizer/common_interface_defs.h) and its poisoning.
#include "stack_switch.hpp"

#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>

namespace sim::stack_switch {

void start(void** token, Bounds to)
{
    __sanitizer_start_switch_fiber(token, to.bottom, to.size);
}

void finish(void* token, Bounds* from)
{
    if (from == nullptr) return __sanitizer_finish_switch_fiber(token, nullptr, nullptr);
    __sanitizer_finish_switch_fiber(token, &from->bottom, &from->size);
}

void reuse(Bounds stack)
{
    __asan_unpoison_memory_region(stack.bottom, stack.size);
}

} // namespace sim::stack_switch
