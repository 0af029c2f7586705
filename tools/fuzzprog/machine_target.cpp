#include "machine_target.hpp"

#include "program/frame.hpp"

#include <fmt/format.h>

namespace fuzzprog {

namespace {

constexpr hcl::Kernel_result no_pd{nova::Status::bad_cap, {}};

} // namespace

nova::Sys_regs frame_for(sim::Env& env, hcl::Call const& call)
{
    nova::Sys_regs frame = hcl::to_frame(call);
    nova::Sys_regs const entry = env.frame(frame.number(), frame.sel(), frame.flags());
    frame.rip = entry.rip, frame.rsp = entry.rsp, frame.rflags = entry.rflags;
    return frame;
}

nova::Status Machine_target::execute(nova::Sys_regs& frame)
{
    env_.syscall(frame);
    return frame.status();
}

hcl::Kernel_result Machine_target::delegate(hcl::Delegate_request const& request)
{
    nova::Pd* src = pd_at(request.src);
    nova::Pd* dst = pd_at(request.dst);
    if (src == nullptr || dst == nullptr) return no_pd;
    nova::Delegation item{.send = request.send,
                          .window = request.window,
                          .hotspot = request.hotspot,
                          .dma = request.dma,
                          .guest = request.guest,
                          .from_kernel = request.kernel};
    nova::Status status = nova::Status::success;
    nova::Crd crd = machine_.kernel().delegate(*src, *dst, item, &status);
    return {status, crd};
}

hcl::Kernel_result Machine_target::translate(hcl::Translate_request const& request)
{
    nova::Pd* src = pd_at(request.src);
    nova::Pd* dst = pd_at(request.dst);
    if (src == nullptr || dst == nullptr) return no_pd;
    return {nova::Status::success,
            machine_.kernel().translate(*src, *dst, request.crd, request.window)};
}

std::string Machine_target::broken_invariant()
{
    nova::Check_result result = machine_.kernel().check();
    if (result.ok()) return {};
    return fmt::format("{} (detail {:#x})", result.invariant, result.detail);
}

template <typename T> T* Machine_target::object_at(sim::Machine& machine, std::uint64_t selector)
{
    nova::Mdb_node const* node = machine.kernel().root_pd().obj.lookup(selector);
    if (node == nullptr) return nullptr;
    return nova::object_cast<T>(reinterpret_cast<nova::Kobject*>(node->resource()));
}

template nova::Ec* Machine_target::object_at<nova::Ec>(sim::Machine&, std::uint64_t);

nova::Pd* Machine_target::pd_at(std::uint64_t selector)
{
    return object_at<nova::Pd>(machine_, selector);
}

} // namespace fuzzprog
