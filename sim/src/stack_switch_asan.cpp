// AddressSanitizer's fiber interface (sanitizer/common_interface_defs.h).
#include "stack_switch.hpp"

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

} // namespace sim::stack_switch
