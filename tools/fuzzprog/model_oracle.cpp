#include "model_oracle.hpp"

#include "program/frame.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace fuzzprog {

namespace {

using nova::Hypercall;

bool covered(hcl::Form const& form)
{
    if (form.kind() == hcl::Form_kind::kernel_function) return true;
    if (form.declaration) return form.declaration == hcl::Declaration::slot;
    if (form.kind() != hcl::Form_kind::hypercall || form.fixed_flags != 0) return false;
    Hypercall number = *form.number;
    return form.binds() || number == Hypercall::revoke || number == Hypercall::lookup;
}

novamodel::Hypercall_op hypercall_op(hcl::Call const& call)
{
    nova::Sys_regs frame = hcl::to_frame(call);
    return {
        {frame.number(), frame.flags(), frame.sel(), frame.rsi, frame.rdx, frame.rax, frame.r8}};
}

hcl::Outcome outcome_of(hcl::Call const& call, novamodel::Outcome const& kernel)
{
    hcl::Outcome outcome{kernel.status, {}};
    if (kernel.status != nova::Status::success || call.form->outputs.empty()) return outcome;
    outcome.outputs[0] = kernel.crd.raw(); // lookup's, delegate's and translate's CRD
    return outcome;
}

} // namespace

std::optional<std::string> model_unfit(hcl::Program const& program)
{
    for (hcl::Instruction const& instruction : program.instructions) {
        hcl::Form const& form = *instruction.call.form;
        if (!covered(form)) {
            return fmt::format("line {} uses {}, which the reference model does not cover",
                               instruction.where.line, form.mnemonic);
        }
    }
    return std::nullopt;
}

novamodel::Lockstep_config lockstep_config(std::uint32_t cpus, bool vmx)
{
    return {.cpus = cpus,
            .sel_bits = 26,
            .vmx = vmx,
            .ram_bytes = 64ull << 20,
            .kernel_bytes = 16ull << 20};
}

std::optional<novamodel::Object_id> Model_oracle::pd_named(std::uint64_t selector) const
{
    novamodel::Capability_model const& model = runner_->model();
    auto const* mapping = model.space(model.root_pd(), nova::Crd::Type::obj).find(selector);
    if (mapping == nullptr) return std::nullopt;
    auto id = static_cast<novamodel::Object_id>(mapping->resource);
    if (!model.is_pd(id)) return std::nullopt;
    return id;
}

// The model's operation for `call`; nothing when a kernel function names no PD (the tool's own
// BAD_CAP, before any kernel is called).
std::optional<novamodel::Operation> Model_oracle::operation(hcl::Call const& call) const
{
    if (call.form->kind() != hcl::Form_kind::kernel_function) return hypercall_op(call);
    auto src = pd_named(hcl::operand_value(call, "src"));
    auto dst = pd_named(hcl::operand_value(call, "dst"));
    if (!src || !dst) return std::nullopt;
    nova::Crd window{hcl::operand_value(call, "window")};
    if (call.form->function == hcl::Kernel_function::translate) {
        return novamodel::Translate_op{*src, *dst, nova::Crd{hcl::operand_value(call, "crd")},
                                       window};
    }
    novamodel::Delegate_item item{nova::Crd{hcl::operand_value(call, "send")},
                                  window,
                                  hcl::operand_value(call, "hotspot"),
                                  hcl::flag_set(call, "dma"),
                                  hcl::flag_set(call, "guest"),
                                  hcl::flag_set(call, "kernel")};
    return novamodel::Delegate_op{*src, *dst, item};
}

std::optional<Model_oracle::Step> Model_oracle::step(hcl::Call const& call, std::string& refusal)
{
    auto op = operation(call);
    if (!op) return Step{{nova::Status::bad_cap, {}}, {}};
    try {
        novamodel::Step_result result = runner_->step(*op);
        return Step{outcome_of(call, result.kernel), result.difference};
    } catch (std::invalid_argument const& error) {
        refusal = error.what();
        return std::nullopt;
    }
}

} // namespace fuzzprog
