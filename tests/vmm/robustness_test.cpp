// Randomised robustness: a hostile guest against a whole PC, and mutated images against the
// loaders. Random port and MMIO accesses of every size (mostly at the devices' registers),
// time passing, host input, IRQ lines, APIC base and TPR writes and the vCPU side's injection,
// with every device's invariants checked after each step. NOVASIM_SEED picks the run (unset: a
// fixed seed; 0: a random one); a failure names the seed and the step.
#include "vmm/loaders/elf.hpp"
#include "vmm/loaders/flat.hpp"
#include "vmm/pc_board.hpp"
#include "vmm/serial_lines.hpp"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "guest_images.hpp"
#include "vmm_fixture.hpp"

namespace {

using namespace vmm;
using namespace vmm_test;

class Hostile_guest {
  public:
    Hostile_guest(Pc_board& board, Manual_clock& clock, std::uint64_t seed)
        : board_(board), clock_(clock), random_(seed), ports_(board.bus().io_claims())
    {
    }

    // One random action; returns what it did, for the failure message.
    std::string step()
    {
        std::ostringstream what;
        unsigned const kind = pick(100);
        if (kind < 45)
            port_access(what);
        else if (kind < 70)
            apic_access(what);
        else if (kind < 78)
            pass_time(what);
        else if (kind < 84)
            host_input(what);
        else if (kind < 90)
            irq_line(what);
        else if (kind < 97)
            inject(what);
        else
            apic_controls(what);
        return what.str();
    }

  private:
    unsigned pick(unsigned n) { return static_cast<unsigned>(random_() % n); }
    unsigned size(bool mmio) { return 1u << pick(mmio ? 4 : 3); }
    u64 value()
    {
        static constexpr u64 interesting[] = {0,      1,           0xff, 0x80, 0x7f,
                                              0xffff, 0xffff'ffff, 0x10, 0x100};
        return pick(4) == 0 ? interesting[pick(std::size(interesting))] : random_();
    }

    void port_access(std::ostream& what)
    {
        u16 port = static_cast<u16>(random_());
        if (pick(10) != 0) {
            Claim<Io_device> const& claim = ports_[pick(static_cast<unsigned>(ports_.size()))];
            port =
                static_cast<u16>(claim.range.base + pick(static_cast<unsigned>(claim.range.size)));
        }
        unsigned const bytes = size(false);
        bool const write = pick(2) == 0;
        what << (write ? "out " : "in ") << std::hex << port << " size " << bytes;
        if (write)
            board_.bus().io_out(port, bytes, static_cast<u32>(value()));
        else
            board_.bus().io_in(port, bytes);
    }

    void apic_access(std::ostream& what)
    {
        Vcpu_id const vcpu = pick(board_.cpus() + 1);
        u64 offset = pick(4) == 0 ? pick(0x1000) : pick(0x40) * 0x10;
        u64 address = Lapic::default_base + offset;
        if (pick(20) == 0) address = random_();
        unsigned const bytes = pick(3) == 0 ? size(true) : 4;
        bool const write = pick(2) == 0;
        what << (write ? "mmio write " : "mmio read ") << std::hex << address << " size " << bytes
             << " vcpu " << vcpu;
        if (write)
            board_.bus().mmio_write(vcpu, address, bytes, value());
        else
            board_.bus().mmio_read(vcpu, address, bytes);
    }

    void pass_time(std::ostream& what)
    {
        Nanoseconds const span = pick(50) == 0 ? pick(200'000'000) : pick(2'000'000);
        what << "time +" << span;
        run_until(clock_, board_.timers(), clock_.now() + span);
    }

    void host_input(std::ostream& what)
    {
        u8 bytes[32];
        for (u8& b : bytes) b = static_cast<u8>(random_());
        std::size_t const n = pick(33);
        what << "host input " << board_.com1().receive({bytes, n}) << " of " << n;
    }

    // Another device raising a line nobody else drives (a line has one driver): 0, 1, 4, 8 and
    // 12 belong to the board's devices.
    void irq_line(std::ostream& what)
    {
        static constexpr unsigned free_lines[] = {2,  3,  5,  6,  7,  9,  10, 11,
                                                  13, 14, 15, 16, 20, 23, 24, 99};
        unsigned const line = free_lines[pick(std::size(free_lines))];
        bool const level = pick(2) == 0;
        what << "irq " << line << " " << level;
        board_.bus().irq_lines().set(line, level);
    }

    void inject(std::ostream& what)
    {
        Vcpu_id const vcpu = pick(board_.cpus() + 1);
        Interrupt_router& router = board_.interrupts();
        what << "inject vcpu " << vcpu;
        if (router.take_nmi(vcpu)) what << " nmi";
        if (!router.interrupt_pending(vcpu)) return;
        std::optional<u8> const vector = router.acknowledge(vcpu);
        if (!vector) ADD_FAILURE() << "pending, but acknowledge gave nothing";
    }

    void apic_controls(std::ostream& what)
    {
        Vcpu_id const vcpu = pick(board_.cpus());
        Lapic* lapic = board_.lapic(vcpu);
        static constexpr u64 bases[] = {0xfee0'0000, 0xfee0'0800, 0xfee0'0900,
                                        0xfee0'0100, 0xfee0'0c00, 0};
        u64 const base = bases[pick(std::size(bases))];
        what << "apic base " << std::hex << base << " vcpu " << vcpu;
        lapic->set_apic_base(base);
        lapic->set_tpr(static_cast<u8>(random_()));
    }

    Pc_board& board_;
    Manual_clock& clock_;
    std::mt19937_64 random_;
    std::vector<Claim<Io_device>> ports_;
};

TEST(Robustness, AHostileGuestNeverBreaksADevice)
{
    SCOPED_TRACE(seed_note());
    Manual_clock clock;
    Fake_vcpu_control vcpus;
    Fake_machine_control machine;
    Serial_lines console{[](std::string_view) {}};
    Pc_config config;
    config.cpus = 2;
    config.pit.min_period = 20'000;
    Pc_board board{config, clock, vcpus, machine, console};
    Hostile_guest guest{board, clock, seed()};
    for (unsigned step = 0; step < 30'000; ++step) {
        std::string const what = guest.step();
        std::optional<std::string> const broken = board.broken_invariant();
        ASSERT_EQ(broken, std::nullopt)
            << "step " << step << ": " << what << " (" << seed_note() << ")";
        ASSERT_FALSE(testing::Test::HasFailure()) << "step " << step << ": " << what;
    }
    EXPECT_GT(board.bus().stats().unclaimed_reads + board.bus().stats().unclaimed_writes, 0u);
}

// A small RAM, so that checking it is unchanged after a refusal stays cheap.
struct Small_ram {
    Guest_ram ram;
    Small_ram()
    {
        ram.add_owned_region(0, 0x10000);
        ram.add_owned_region(0x100000, 0x40000);
    }
    u64 hash()
    {
        u64 h = 1469598103934665603ull;
        for (Address_range const& r : ram.regions()) {
            u8 const* bytes = ram.host(r.base, r.size);
            for (u64 i = 0; i < r.size; ++i) h = (h ^ bytes[i]) * 1099511628211ull;
        }
        return h;
    }
};

std::vector<Bytes> loader_corpus()
{
    Elf_builder elf32;
    elf32.entry = 0x100004;
    elf32.segments = {{0x100000, 0x100000, pattern(0x80, 1), 0x400},
                      {0x120000, 0x120000, pattern(0x40, 2), 0x40}};
    elf32.prefix = multiboot_header(0);
    Elf_builder elf64 = elf32;
    elf64.wide = true;
    Bytes kludge = pattern(0x200, 3);
    Bytes const header = multiboot_header(1u << 16 | 3, 0x100040, 0x100000, 0, 0x101000, 0x100080);
    std::copy(header.begin(), header.end(), kludge.begin() + 0x40);
    return {elf32.build(), elf64.build(), kludge};
}

TEST(Robustness, MutatedImagesAreLoadedOrRefusedLeavingMemoryAlone)
{
    SCOPED_TRACE(seed_note());
    std::mt19937_64 random{seed()};
    std::vector<Bytes> const corpus = loader_corpus();
    Small_ram small;
    Multiboot_options const options{"cmdline", {}, "novasim"};
    unsigned loaded = 0, refused = 0;
    for (unsigned round = 0; round < 1500; ++round) {
        Bytes image = corpus[random() % corpus.size()];
        for (unsigned flips = 1 + random() % 6; flips-- > 0;) {
            std::size_t const at = random() % 4 == 0
                                       ? random() % image.size()
                                       : random() % std::min<std::size_t>(image.size(), 160);
            image[at] =
                static_cast<u8>(random() % 3 == 0 ? random() : image[at] ^ (1u << (random() % 8)));
        }
        if (random() % 8 == 0) image.resize(random() % image.size());
        u64 const before = small.hash();
        bool const multiboot = random() % 2 == 0;
        bool ok = false;
        if (multiboot) {
            Load_result<Multiboot_boot> const boot = load_multiboot(small.ram, image, options);
            ok = boot.ok();
            if (ok) {
                EXPECT_TRUE(small.ram.contains(boot.value().ebx, 116)) << round;
            }
        } else {
            Load_result<Loaded_image> const elf = load_elf(small.ram, image);
            ok = elf.ok();
            if (ok) {
                EXPECT_TRUE(small.ram.contains(elf.value().entry, 1)) << round;
            }
        }
        if (!ok) {
            ASSERT_EQ(small.hash(), before) << "round " << round << ": a refusal wrote memory";
        }
        ++(ok ? loaded : refused);
    }
    EXPECT_GT(loaded, 0u); // the mutations leave some images intact and break others
    EXPECT_GT(refused, 0u);
}

} // namespace
