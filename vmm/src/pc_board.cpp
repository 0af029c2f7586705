#include "vmm/pc_board.hpp"

#include "vmm/state_text.hpp"

#include <fmt/format.h>

#include <ostream>
#include <sstream>

namespace vmm {

namespace {

constexpr u64 mmio_hole = 0xe000'0000;
constexpr u64 four_gib = u64{1} << 32;

// Returns the CPU count.
unsigned check_config(Pc_config const& config)
{
    if (config.cpus == 0 || config.cpus > Pc_board::max_cpus)
        throw Config_error(
            fmt::format("a PC has 1 to {} CPUs, not {}", Pc_board::max_cpus, config.cpus));
    if (config.ram_below_4g < (u64{1} << 20) || config.ram_below_4g > mmio_hole)
        throw Config_error(fmt::format("RAM below 4 GiB must be 1 MiB to {:#x} bytes, not {:#x}",
                                       mmio_hole, config.ram_below_4g));
    return config.cpus;
}

// An e820 entry as fw_cfg's etc/e820 carries it: base, length, type (1 = RAM), little-endian.
void put_e820(std::vector<u8>& table, u64 base, u64 length)
{
    for (u64 value : {base, length})
        for (unsigned i = 0; i < 8; ++i) table.push_back(static_cast<u8>(value >> (8 * i)));
    for (unsigned i = 0; i < 4; ++i) table.push_back(i == 0 ? 1 : 0);
}

} // namespace

Pc_board::Pc_board(Pc_config const& config, Clock const& clock, Vcpu_control& vcpus,
                   Machine_control& machine, Serial_peer& com1)
    : cpus_(check_config(config)), ram_below_4g_(config.ram_below_4g),
      ram_above_4g_(config.ram_above_4g), timers_(clock), apics_(vcpus), router_(apics_, vcpus),
      pic_(bus_, router_), pit_(bus_, timers_, config.pit), rtc_(bus_, timers_, config.rtc),
      com1_(bus_, timers_, com1), port80_(bus_), port92_(bus_, machine), i8042_(bus_, machine),
      fw_cfg_(bus_), debug_exit_(bus_, machine)
{
    router_.connect_pic(pic_);
    for (Vcpu_id vcpu = 0; config.lapics && vcpu < cpus_; ++vcpu)
        lapics_.push_back(std::make_unique<Lapic>(bus_, timers_, apics_, vcpu, config.lapic));
    rtc_.set_memory_size(config.ram_below_4g, config.ram_above_4g);
    configure_firmware(config);
}

void Pc_board::configure_firmware(Pc_config const& config)
{
    fw_cfg_.set(Fw_cfg::uuid, std::vector<u8>(16, 0));
    fw_cfg_.set_u64(Fw_cfg::ram_size, config.ram_below_4g + config.ram_above_4g);
    fw_cfg_.set_u16(Fw_cfg::nographic, 1);
    fw_cfg_.set_u16(Fw_cfg::nb_cpus, static_cast<u16>(cpus_));
    fw_cfg_.set_u16(Fw_cfg::max_cpus, static_cast<u16>(cpus_));
    fw_cfg_.set_cmdline(config.cmdline);
    std::vector<u8> e820;
    put_e820(e820, 0, config.ram_below_4g);
    if (config.ram_above_4g != 0) put_e820(e820, four_gib, config.ram_above_4g);
    fw_cfg_.add_file("etc/e820", std::move(e820));
}

std::optional<std::string> Pc_board::broken_invariant() const
{
    auto named = [](char const* device,
                    std::optional<std::string> broken) -> std::optional<std::string> {
        if (broken) return std::string(device) + ": " + *broken;
        return std::nullopt;
    };
    if (auto broken = named("pic", pic_.broken_invariant())) return broken;
    if (auto broken = named("pit", pit_.broken_invariant())) return broken;
    if (auto broken = named("rtc", rtc_.broken_invariant())) return broken;
    if (auto broken = named("com1", com1_.broken_invariant())) return broken;
    for (std::unique_ptr<Lapic> const& lapic : lapics_)
        if (auto broken = named("lapic", lapic->broken_invariant())) return broken;
    return std::nullopt;
}

std::string Pc_board::describe_memory() const
{
    State_line ram("ram");
    ram.hex("below-4g", ram_below_4g_, 1).hex("above-4g", ram_above_4g_, 1);
    ram.dec("total-mib", (ram_below_4g_ + ram_above_4g_) >> 20);
    return ram.str();
}

std::string Pc_board::describe_time() const
{
    State_line line("timers");
    line.dec("now-ns", timers_.now()).dec("armed", timers_.armed_count());
    line.dec_list("deadlines-ns", timers_.deadlines());
    return line.str();
}

std::string Pc_board::describe_interrupts() const
{
    std::vector<u64> high;
    for (unsigned line = 0; line < Irq_lines::count; ++line)
        if (bus_.irq_lines().level(line)) high.push_back(line);
    State_line lines("irq-lines");
    lines.dec_list("high", high).dec("level-eois", apics_.level_eois());
    return lines.str() + router_.describe_state(cpus_);
}

std::string Pc_board::describe_bus() const
{
    Bus_stats const& stats = bus_.stats();
    State_line counts("strays");
    counts.dec("unclaimed-reads", stats.unclaimed_reads);
    counts.dec("unclaimed-writes", stats.unclaimed_writes).dec("refused", stats.refused);
    State_line last("last-stray");
    if (stats.last_stray) {
        Stray_access const& stray = *stats.last_stray;
        last.text("space", stray.space == Space::io ? "io" : "mmio").flag("write", stray.write);
        last.hex("address", stray.address, 1).dec("size", stray.size).dec("vcpu", stray.vcpu);
    } else {
        last.text("access", "-");
    }
    return counts.str() + last.str();
}

// The order is part of the format: tools and people diff dumps of two runs.
std::vector<Pc_board::State_section> Pc_board::state_sections() const
{
    std::vector<State_section> sections{
        {"memory", describe_memory()},         {"time", describe_time()},
        {"interrupts", describe_interrupts()}, {"pic", pic_.describe_state()},
        {"pit", pit_.describe_state()},        {"rtc", rtc_.describe_state()},
        {"com1", com1_.describe_state()},
    };
    for (std::unique_ptr<Lapic> const& lapic : lapics_)
        sections.push_back({fmt::format("lapic {}", lapic->vcpu()), lapic->describe_state()});
    sections.push_back({"i8042", i8042_.describe_state()});
    sections.push_back({"port80", port80_.describe_state()});
    sections.push_back({"port92", port92_.describe_state()});
    sections.push_back({"fw_cfg", fw_cfg_.describe_state()});
    sections.push_back({"bus", describe_bus()});
    return sections;
}

void Pc_board::describe_state(std::ostream& out) const
{
    for (State_section const& section : state_sections()) {
        out << '[' << section.title << "]\n";
        std::istringstream lines(section.text);
        for (std::string line; std::getline(lines, line);) out << "  " << line << '\n';
    }
}

std::string Pc_board::describe_state() const
{
    std::ostringstream out;
    describe_state(out);
    return out.str();
}

} // namespace vmm
