// One KVM vCPU behind a NOVA vCPU EC: its file descriptor and run page, the architectural state
// as the kernel's MTDs see it (fetched and written back lazily, by MTD group), and the turning
// of each KVM exit into the NOVA event of the matching VMX exit reason (kvm_shim/README.md has
// the table). The registers, segments and event state travel in the run page itself
// (KVM_CAP_SYNC_REGS), so only MSRs, debug registers, PDPTEs and the FPU cost extra calls.
#pragma once

#include "kvm/fd.hpp"
#include "kvm/guest_code.hpp"
#include "kvm/kvm_abi.hpp"
#include "kvm/vm.hpp"
#include "nova/platform.hpp"
#include "nova/utcb.hpp"

#include <array>
#include <cstdint>
#include <linux/kvm.h>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kvm {

using nova::mword;

// Where this KVM leaves RIP on the exits whose RIP NOVA reports at the instruction: measured
// once per backend with a probe guest (Calibration::measure), because it differs (VT-x leaves
// RIP at an OUT, PVM after it; both after HLT).
struct Calibration {
    bool out_rip_after{false};
    bool hlt_rip_after{true};
    static Calibration measure(int kvm);
};

// A KVM operation that an I/O, MMIO or RDMSR exit left for KVM to finish at the next KVM_RUN.
enum class Completion : std::uint8_t { none, io, mmio_read, mmio_write, rdmsr, wrmsr };

// The exit being handled: what the handler sees, and what the reply must be checked against.
struct Exit_record {
    nova::Vm_exit exit{};
    Completion completion{Completion::none};
    std::uint64_t rip{0};      // NOVA's RIP: at the exiting instruction
    std::uint32_t inst_len{0}; // 0: unknown
    std::uint64_t kvm_rip{0};  // where KVM's RIP is now
    bool string{false};        // INS/OUTS: KVM finishes it, the reply must leave RIP
    nova::Utcb_access access{};
};

// The last decoded I/O instruction of a vCPU (Vcpu::io_length).
struct Io_decode_cache {
    unsigned lookup(std::uint64_t at, Io_access const& access,
                    std::uint64_t memory_generation) const;
    void remember(std::uint64_t at, Io_access const& access, std::uint64_t memory_generation,
                  unsigned len, std::uint8_t const* code);

    std::uint64_t la{0};
    Io_access io{};
    std::uint64_t generation{0};
    unsigned length{0};
    std::uint8_t const* host{nullptr}; // the instruction's bytes in guest memory
    std::uint8_t bytes[16]{};          // what they were
};

class Vcpu {
  public:
    Vcpu(Vm& vm, int kvm, unsigned id, Calibration const& calibration);
    Vcpu(Vcpu const&) = delete;
    Vcpu& operator=(Vcpu const&) = delete;
    ~Vcpu();

    // One KVM_RUN, after writing back what the last reply named; the NOVA event it ends with
    // (Vm_exit::none when the tick or immediate_exit ended it before the guest exited).
    nova::Vm_exit run();
    void load(mword mtd, nova::Utcb_arch& to);
    void store(mword mtd, nova::Utcb_arch const& from);
    // Made-up exits before the first entry: the next CPUID leaf to ask the VMM about, or
    // nothing when all are collected (and the table is with KVM).
    std::optional<nova::Vm_exit> next_cpuid_question(int kvm);
    // The registers and exit, for a watchdog's or a failure's report.
    std::string describe() const;

    std::uint64_t kvm_calls() const { return calls_; }
    // The KVM_RUNs among them: a loaded host cuts some stretches short (the tick, a signal),
    // and the vCPU is entered again without an exit.
    std::uint64_t kvm_runs() const { return runs_; }
    // False once a TSC write found that this host cannot offset the guest's TSC.
    bool tsc_offsetting() const { return tsc_offsetting_; }
    kvm_run const& run_page() const { return *run_; }
    Exit_record const& last_exit() const { return exit_; }
    unsigned id() const { return id_; }
    int fd() const { return fd_.get(); }

  private:
    struct Msr_cache {
        std::map<std::uint32_t, std::uint64_t> values; // fetched since the last exit
        std::map<std::uint32_t, std::uint64_t> writes; // for the next entry
    };
    struct Cpuid_collection {
        std::vector<kvm_cpuid_entry2> entries;
        std::size_t next{0};
        kvm_regs saved{}; // the guest's registers, which the questions borrow
    };

    nova::Vm_exit translate();
    nova::Vm_exit translate_io();
    unsigned io_length(Io_access const& access);
    unsigned decode_io_length(std::uint64_t la, Io_access const& access, bool after);
    nova::Vm_exit translate_mmio();
    nova::Vm_exit translate_hlt();
    nova::Vm_exit fetch_from_nothing();
    nova::Vm_exit translate_internal_error();
    nova::Vm_exit translate_msr(mword event);
    void set_rip(std::uint64_t rip);
    Paging paging() const;
    bool code32() const;
    void prepare_entry();
    void finish_completion(bool state_needed_now);
    bool finish_io(bool rip_moved);
    bool finish_mmio(bool rip_moved);
    bool finish_msr();
    void flush_completion(bool re_execute);
    void apply_tsc_offset();
    bool add_tsc_offset_by_attribute();
    bool add_tsc_offset_by_msr();
    void write_back_lazy_groups();
    bool string_element_pending() const;
    nova::Vm_exit next_string_element();
    void apply_injection();
    void write_msrs();
    void fetch_msrs(mword mtd);
    void load_segments(mword mtd, nova::Utcb_arch& a) const;
    void store_segments(mword mtd, nova::Utcb_arch const& a);
    void load_control(mword mtd, nova::Utcb_arch& a);
    void store_control(mword mtd, nova::Utcb_arch const& a);
    void load_extra(mword mtd, nova::Utcb_arch& a);
    void store_extra(mword mtd, nova::Utcb_arch const& a);
    void store_injection(nova::Utcb_arch const& a);
    void store_completion(mword mtd, nova::Utcb_arch const& a);
    kvm_debugregs& debug_regs();
    kvm_sregs2& sregs2();
    abi::Xsave& xsave();
    kvm_sync_regs& sync() { return run_->s.regs; }
    kvm_sync_regs const& sync() const { return run_->s.regs; }

    Vm& vm_;
    unsigned id_;
    Calibration calibration_;
    Fd fd_;
    kvm_run* run_{nullptr};
    std::size_t run_size_{0};
    std::uint64_t calls_{0}; // every ioctl on this vCPU, KVM_RUN included
    std::uint64_t runs_{0};
    Exit_record exit_;
    Io_decode_cache io_cache_;
    std::uint64_t reply_rip_{0}; // RIP after the reply (the exit's unless the reply set it)
    bool rip_written_{false};
    bool replied_{false}; // the handler's reply for exit_ has been stored
    mword replied_mtd_{0};
    std::uint32_t string_done_{0}; // elements of a string I/O exit already delivered

    // The injection and window requests the last reply asked for ([C14] §7.7).
    std::uint32_t inj_info_{0}, inj_error_{0};
    bool want_window_{false}, want_nmi_window_{false};
    std::uint32_t activity_{0};
    std::uint32_t tpr_threshold_{0};
    std::uint32_t ctrl_[2]{};
    std::uint64_t tsc_offset_{0}; // what the VMM added so far (MTD TSC reads it back)
    std::uint64_t tsc_add_{0};    // added by the last reply, for the next entry
    bool tsc_offsetting_{true};
    std::unique_ptr<Msr_cache> msrs_;
    std::unique_ptr<Cpuid_collection> cpuid_;
    std::optional<kvm_debugregs> debug_;
    bool debug_dirty_{false};
    std::unique_ptr<abi::Xsave> xsave_;
    bool xsave_dirty_{false};
    std::optional<kvm_sregs2> sregs2_;
    bool pdpte_dirty_{false};
};

} // namespace kvm
