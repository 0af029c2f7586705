// Recording a run (novasim run --record): a vCPU backend in front of the one that runs the
// guests, writing every vCPU's creation, every guest stretch with the simulated time it was
// charged, every message a handler got and every reply. The scheduler's dispatches come from the
// machine's event log; the runner adds the console input the VMM took and how the run ended.
#pragma once

#include "kvm/trace/writer.hpp"
#include "sim/machine.hpp"
#include "sim/vcpu_backend.hpp"

#include <memory>
#include <unordered_map>

namespace kvm::trace {

class Recorder final : public sim::Vcpu_backend {
  public:
    Recorder(sim::Machine& machine, std::unique_ptr<sim::Vcpu_backend> inner, Writer& writer);
    ~Recorder() override;
    Recorder(Recorder const&) = delete;
    Recorder& operator=(Recorder const&) = delete;

    bool create(nova::Ec& vcpu) override;
    void destroy(nova::Ec& vcpu) override;
    nova::Vm_exit run(nova::Ec& vcpu) override;
    void load(nova::Ec& vcpu, mword mtd, nova::Utcb_arch& to) override;
    void store(nova::Ec& vcpu, mword mtd, nova::Utcb_arch const& from) override;
    void guest_view_changed(nova::Pd& pd, mword first, mword count) override;

    // The VMM of `vm` took `byte` of console input at its `call`-th poll.
    void input(std::uint32_t vm, std::uint64_t call, std::uint8_t byte);
    // The last record: how the run ended.
    void end(std::string const& how);
    sim::Vcpu_backend& inner() { return *inner_; }
    sim::Vcpu_backend const& inner() const { return *inner_; }

  private:
    struct Vcpu_record {
        std::uint32_t index;
        mword message; // the event of the message its handler has
    };
    Vcpu_record* find(nova::Ec const& ec);
    void write(Record const& r);

    sim::Machine& machine_;
    std::unique_ptr<sim::Vcpu_backend> inner_;
    Writer& writer_;
    std::unordered_map<nova::Ec const*, Vcpu_record> vcpus_;
    std::uint32_t created_{0};
    bool ended_{false};
};

// For sim::Machine_config::vcpu_backend: what `inner` makes, behind a Recorder writing to
// `writer`; `made` learns the Recorder. When `inner` makes no backend, neither does this.
sim::Vcpu_backend_factory recording(sim::Vcpu_backend_factory inner, Writer& writer,
                                    Recorder** made);

} // namespace kvm::trace
