// Running the scenario, normalising its logs, and the logs it must produce.
#include "vmm_x86.hpp"

#include "kvm/backend.hpp"

#include <regex>

namespace scenarios {

Vmm_x86_result run_vmm_x86(Vmm_x86_options const& options)
{
    Vmm_x86_result result;
    sim::Machine_config config{};
    config.cpus = 2;
    config.ram_bytes = 64ull << 20;
    config.kernel_bytes = 16ull << 20;
    kvm::Backend* backend = nullptr;
    config.vcpu_backend = [&](sim::Machine& m) {
        auto b = std::make_unique<kvm::Backend>(m, options.backend);
        backend = b.get();
        return b;
    };
    sim::Machine machine{config};
    vmm_x86::Vmm vmm{machine, options, result};
    sim::Run_result run = machine.run([&vmm](sim::Env& root) { vmm.run_root(root); });
    result.stop =
        std::string{sim::stop_name(run.stop)} + (run.detail.empty() ? "" : ": ") + run.detail;
    result.vms_left = backend->vms();
    return result;
}

std::vector<std::string> normalise(std::vector<std::string> const& log)
{
    static std::regex const counter{R"(: \d+\. vm exit)"};
    static std::regex const dropped{R"(guest fault address|rdtscp|resume vcpu)"};
    std::vector<std::string> out;
    for (std::string const& line : log) {
        if (std::regex_search(line, dropped)) continue;
        out.push_back(std::regex_replace(line, counter, ": XX. vm exit"));
    }
    return out;
}

std::array<std::vector<std::string>, 4> expected_vmm_x86_logs()
{
    auto halting = [](char const* who, char const* ip) {
        return std::string{who} + ": XX. vm exit - halting vCPU - guest called HLT - ip=" + ip;
    };
    auto paused = [](char const* who, char const* ip) {
        return std::string{who} + ": XX. vm exit - due to pause() request - ip=" + ip;
    };
    auto quiet = [&](char const* who) {
        std::string w{who};
        return std::vector<std::string>{w + ": created", w + ": XX. vm exit - startup",
                                        halting(who, "0xff81")};
    };
    std::vector<std::string> v1 = quiet("vcpu 1 ep");
    for (auto line : {paused("vcpu 1 ep", "0xff81"), halting("vcpu 1 ep", "0xff81"),
                      paused("vcpu 1 ep", "0xff81"), paused("vcpu 1 ep", "0xff83"),
                      halting("vcpu 1 ep", "0xff85"), paused("vcpu 1 ep", "0xff85")}) {
        v1.push_back(line);
    }
    std::vector<std::string> v2 = quiet("vcpu 2 second ep");
    for (auto line : {paused("vcpu 2 second ep", "0xff81"), halting("vcpu 2 second ep", "0xff81"),
                      paused("vcpu 2 second ep", "0xff81"), halting("vcpu 2 second ep", "0xff82"),
                      paused("vcpu 2 second ep", "0xff82")}) {
        v2.push_back(line);
    }
    return {quiet("vcpu 0 ep"), v1, v2, quiet("vcpu 3 second ep")};
}

} // namespace scenarios
