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

} // namespace hcl
