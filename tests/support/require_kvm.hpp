// For tests with the label `kvm`: skip with the probe's one-line reason when /dev/kvm is unusable
// here (a laptop without it still runs everything else).
#pragma once

#include "kvm/probe.hpp"

#include <gtest/gtest.h>

#define NOVASIM_REQUIRE_KVM()                                                                      \
    do {                                                                                           \
        kvm::Probe probe_ = kvm::probe();                                                          \
        if (!probe_.usable) GTEST_SKIP() << probe_.reason;                                         \
    } while (0)
