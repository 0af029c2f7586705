// What `novasim` tells its caller through the exit status; scripts and ctest rely on it.
#pragma once

namespace novasim {

enum Exit_code : int {
    exit_ok = 0,
    exit_failed = 1,   // the run completed and an expectation or a kernel invariant failed
    exit_unusable = 2, // nothing was run: bad usage, an unreadable or malformed input
};

} // namespace novasim
