// Assertions stay on in every build (design.md §2): a broken invariant in the kernel is a bug in
// the kernel, and the platform decides how to stop (the simulator prints and aborts).
#pragma once

namespace nova {
[[noreturn]] void assert_failed(char const* expr, char const* file, int line);
}

#define nova_assert(cond)                                                                          \
    ((cond) ? static_cast<void>(0) : ::nova::assert_failed(#cond, __FILE__, __LINE__))
