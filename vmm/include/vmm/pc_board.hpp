// A whole PC's devices on one bus, wired as QEMU's PC machine and kvm-unit-tests expect: the
// 8259A pair (IRQ 2 cascade), the 8254 on IRQ 0 with port 0x61, the RTC on IRQ 8 with the
// memory size in CMOS, COM1 on IRQ 4, port 0x80, port 0x92, the i8042, fw_cfg (signature, CPU
// count, RAM size, command line, etc/e820), the debug-exit port 0xf4, one LAPIC per vCPU (unless
// configured without) and the Interrupt_router. This is the one place that knows the PC's map;
// each device's own header says what it models.
//
// The vCPU side supplies the Clock, Vcpu_control, Machine_control and COM1's Serial_peer (all
// must outlive the board), calls bus() for port I/O and MMIO exits, interrupts() for injection
// (see interrupt_router.hpp), runs timers() when timers().next_deadline() has come, and handles
// the LAPIC base MSR and CR8 through lapic(v).
#pragma once

#include "vmm/devices/debug_exit.hpp"
#include "vmm/devices/fw_cfg.hpp"
#include "vmm/devices/i8042.hpp"
#include "vmm/devices/lapic.hpp"
#include "vmm/devices/pic8259.hpp"
#include "vmm/devices/pit8254.hpp"
#include "vmm/devices/port80.hpp"
#include "vmm/devices/port92.hpp"
#include "vmm/devices/rtc.hpp"
#include "vmm/devices/uart16550.hpp"
#include "vmm/interrupt_router.hpp"

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vmm {

struct Pc_config {
    unsigned cpus{1};
    u64 ram_below_4g{u64{128} << 20};
    u64 ram_above_4g{0};
    std::string cmdline;
    bool lapics{true};
    Lapic_config lapic{};
    Rtc_config rtc{};
    Pit_config pit{};
};

class Pc_board {
  public:
    static constexpr unsigned max_cpus = 255; // xAPIC IDs 0–254

    // Config_error for no CPUs, more than max_cpus, or RAM below 4 GiB that reaches into the
    // 32-bit MMIO hole (above 0xe0000000) or is smaller than 1 MiB.
    Pc_board(Pc_config const& config, Clock const& clock, Vcpu_control& vcpus,
             Machine_control& machine, Serial_peer& com1);
    Pc_board(Pc_board const&) = delete;
    Pc_board& operator=(Pc_board const&) = delete;

    Bus& bus() { return bus_; }
    Timer_queue& timers() { return timers_; }
    Interrupt_router& interrupts() { return router_; }
    Apic_bus& apic_bus() { return apics_; }
    Lapic* lapic(Vcpu_id vcpu) { return apics_.lapic(vcpu); }
    Pic_pair& pic() { return pic_; }
    Pit8254& pit() { return pit_; }
    Rtc& rtc() { return rtc_; }
    Uart16550& com1() { return com1_; }
    Fw_cfg& fw_cfg() { return fw_cfg_; }
    I8042& i8042() { return i8042_; }
    Port92& port92() { return port92_; }
    Port80& port80() { return port80_; }
    unsigned cpus() const { return cpus_; }
    u64 ram_below_4g() const { return ram_below_4g_; }
    u64 ram_above_4g() const { return ram_above_4g_; }

    // Which invariant of which device does not hold, if any: the randomised tests' oracle.
    std::optional<std::string> broken_invariant() const;

    // The VMM's state as text for a developer (`novasim replay --until`, a failing test): one
    // section a device, titled "[name]", in a fixed order: memory, time, interrupts, pic, pit,
    // rtc, com1, "lapic N" for each vCPU that has one, i8042, port80, port92, fw_cfg, bus. Each
    // holds a few indented "label: name=value" lines (state_text.hpp). Writing it changes no
    // device, and the same state always gives the same text.
    void describe_state(std::ostream& out) const;
    std::string describe_state() const;

  private:
    struct State_section {
        std::string title;
        std::string text; // lines, each ending in a newline
    };

    void configure_firmware(Pc_config const& config);
    std::vector<State_section> state_sections() const;
    std::string describe_memory() const;
    std::string describe_time() const;
    std::string describe_interrupts() const;
    std::string describe_bus() const;

    unsigned cpus_;
    u64 ram_below_4g_;
    u64 ram_above_4g_;
    Timer_queue timers_;
    Bus bus_;
    Apic_bus apics_;
    Interrupt_router router_;
    Pic_pair pic_;
    Pit8254 pit_;
    Rtc rtc_;
    Uart16550 com1_;
    Port80 port80_;
    Port92 port92_;
    I8042 i8042_;
    Fw_cfg fw_cfg_;
    Debug_exit debug_exit_;
    std::vector<std::unique_ptr<Lapic>> lapics_;
};

} // namespace vmm
