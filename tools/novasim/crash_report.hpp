// What the output of a child run says fired: the fuzzer target's own "novasim: the X oracle
// fired (SIGNATURE):" line, the error lines of `novasim hypercalls`, a kernel assertion, the
// first line of an AddressSanitizer or UBSan report, or only a signal. The signature tells
// findings apart and lets a finding be minimised through child processes (the same signature
// must come back); the report is what a finding's file shows.
#pragma once

#include "subprocess.hpp"

#include <string>

namespace novasim {

// Empty when nothing fired.
std::string crash_signature(Finished const& run);
std::string crash_report(Finished const& run);

} // namespace novasim
