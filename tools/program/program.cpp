#include "program/program.hpp"

namespace hcl {

Call blank_call(Form const& form)
{
    Call call{};
    call.form = &form;
    for (std::size_t i = 0; i < form.operands.size(); ++i) {
        call.operands[i] = form.operands[i].fallback;
    }
    return call;
}

std::uint64_t operand_value(Call const& call, std::string_view name)
{
    return call.operands[call.form->operand_index(name).value()];
}

bool flag_set(Call const& call, std::string_view name)
{
    return (call.flags & call.form->flag_bit(name).value()) != 0;
}

} // namespace hcl
