// What the VMM tests share: the seed of randomised tests, fakes of the interfaces the vCPU
// side implements (Vcpu_control, Machine_control, the serial peer) that record what they saw,
// and a reader of state dumps.
#pragma once

#include "test_seed.hpp"

#include "vmm/control.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vmm_test {

using novasim_test::seed; // NOVASIM_SEED (tests/support/test_seed.hpp)
using novasim_test::seed_note;

// Records what the device side asked of the vCPU side.
struct Fake_vcpu_control : vmm::Vcpu_control {
    struct Startup {
        vmm::Vcpu_id vcpu;
        vmm::u8 vector;
        bool operator==(Startup const&) const = default;
    };
    std::vector<vmm::Vcpu_id> recalls, inits;
    std::vector<Startup> startups;

    void recall(vmm::Vcpu_id vcpu) override { recalls.push_back(vcpu); }
    void init(vmm::Vcpu_id vcpu) override { inits.push_back(vcpu); }
    void startup(vmm::Vcpu_id vcpu, vmm::u8 vector) override { startups.push_back({vcpu, vector}); }
    bool recalled(vmm::Vcpu_id vcpu) const
    {
        for (vmm::Vcpu_id v : recalls)
            if (v == vcpu) return true;
        return false;
    }
};

struct Fake_machine_control : vmm::Machine_control {
    std::vector<vmm::u64> exits;
    std::vector<vmm::Reset_source> resets;

    void request_exit(vmm::u64 status) override { exits.push_back(status); }
    void request_reset(vmm::Reset_source source) override { resets.push_back(source); }
};

// The value of field `name` on the first line labelled `label` of a state dump (state_text.hpp:
// "label: name=value ...", indented or not), or "<absent>", so a test names exactly the field
// it means and a failure shows what the dump said.
inline std::string state_field(std::string const& dump, std::string_view label,
                               std::string_view name)
{
    std::istringstream lines(dump);
    std::string const wanted_label = std::string(label) + ":", key = std::string(name) + "=";
    for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::string word;
        if (!(words >> word) || word != wanted_label) continue;
        while (words >> word)
            if (word.rfind(key, 0) == 0) return word.substr(key.size());
        return "<absent>";
    }
    return "<absent>";
}

// Fields of one dump line and the values a test expects, in the order the test names them.
using State_fields = std::vector<std::pair<std::string, std::string>>;

// Whether line `label` of a dump gives each field its expected value: one check a line, and a
// failure names every field that differs, with the whole dump to read it in.
inline ::testing::AssertionResult has_fields(std::string const& dump, std::string_view label,
                                             State_fields const& expected)
{
    std::string wrong;
    for (auto const& [name, value] : expected) {
        std::string const actual = state_field(dump, label, name);
        if (actual != value) wrong += " " + name + "=" + actual + " (expected " + value + ")";
    }
    if (wrong.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << label << ":" << wrong << "\nin the dump:\n" << dump;
}

// The lines of section "[title]" of a board's dump (Pc_board::describe_state), without the
// title; empty when there is no such section.
inline std::string state_section(std::string const& dump, std::string_view title)
{
    std::istringstream lines(dump);
    std::string const heading = "[" + std::string(title) + "]";
    std::string section;
    bool inside = false;
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty() && line[0] == '[')
            inside = line == heading;
        else if (inside)
            section += line + '\n';
    }
    return section;
}

} // namespace vmm_test
