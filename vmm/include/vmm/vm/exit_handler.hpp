// VM exits answered by the VMM: a plain function of (VMM state, exit message), as Firecracker's
// handle_kvm_exit is, so that tests and replay feed it synthetic exits without KVM or a kernel.
// The message is the vCPU UTCB's architectural area (nova::Utcb_arch) as the portal's MTD
// filled it; the answer is written into the same area, its `mtd` naming what the reply writes
// back. Devices are reached through the board's bus; interrupts through its router, injected
// the NOVA way (INJ, with the interrupt window when the guest cannot take one yet).
#pragma once

#include "nova/utcb.hpp"
#include "vmm/pc_board.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vmm {

using nova::mword;

// How the boot processor starts (the loaders decide it; vm/boot.hpp).
struct Boot_state {
    enum class Mode : u8 { real16, protected32, long64 };
    Mode mode{Mode::real16};
    u64 entry{0};       // guest-physical (real16: CS = entry >> 4 & 0xf000, IP = the rest)
    u32 eax{0}, ebx{0}; // Multiboot's registers
    u64 page_tables{0}; // long64: the identity-mapping PML4 the VMM built
    u64 stack{0};       // RSP at entry (0: none)
};

// What an exit asks of the vCPU side beyond the reply.
struct Exit_effects {
    bool map_ram{false};                // delegate guest RAM with this reply (the first STARTUP)
    std::optional<std::string> failure; // the guest cannot go on: report this and stop
};

// Exits per vCPU and event (novasim run --stats).
using Exit_histogram = std::map<std::pair<Vcpu_id, mword>, u64>;

class Exit_handler {
  public:
    // `board` is not owned; `vcpus` is the number of vCPUs, vCPU 0 the boot processor.
    Exit_handler(Pc_board& board, Boot_state const& boot, unsigned vcpus);

    // Answers one VM exit of `vcpu` (nova/vmx.hpp numbers the events).
    Exit_effects handle(Vcpu_id vcpu, mword event, nova::Utcb_arch& msg);
    // The MTD each event's portal needs: what handle() reads.
    static mword portal_mtd(mword event);
    // The events a VMM must have portals for.
    static std::vector<mword> const& events();

    // INIT and SIPI from the LAPICs (through Vcpu_control): held until the vCPU's next exit.
    void init(Vcpu_id vcpu);
    void startup(Vcpu_id vcpu, u8 vector);

    Exit_histogram const& histogram() const { return histogram_; }

  private:
    struct Vcpu_state {
        bool waiting_for_sipi{false};
        std::optional<u8> sipi;
        bool halted{false}; // parked after HLT until something is deliverable
    };

    void startup_exit(Vcpu_id v, nova::Utcb_arch& msg);
    void io_exit(Vcpu_id v, nova::Utcb_arch& msg, Exit_effects& effects);
    void mmio_exit(Vcpu_id v, nova::Utcb_arch& msg, Exit_effects& effects);
    void halt_exit(Vcpu_id v, nova::Utcb_arch& msg);
    void recall_exit(Vcpu_id v, nova::Utcb_arch& msg);
    void msr_exit(nova::Utcb_arch& msg);
    void cpuid_exit(nova::Utcb_arch& msg) const;
    bool start_from_sipi(Vcpu_id v, nova::Utcb_arch& msg);
    bool inject(Vcpu_id v, nova::Utcb_arch& msg);
    static std::string failure(Vcpu_id v, mword event, nova::Utcb_arch const& msg);

    Pc_board& board_; // not owned
    Boot_state boot_;
    std::vector<Vcpu_state> vcpus_;
    bool ram_mapped_{false};
    Exit_histogram histogram_;
};

// The name of a vCPU event (nova/vmx.hpp), for reports.
char const* event_name(mword event);

// The boot processor's entry state for `boot`, into a STARTUP reply.
void set_boot_state(nova::Utcb_arch& msg, Boot_state const& boot);
// An AP's state after a SIPI with `vector`: real mode at vector << 12.
void set_sipi_state(nova::Utcb_arch& msg, u8 vector);

} // namespace vmm
