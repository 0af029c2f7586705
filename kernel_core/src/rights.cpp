// The rights a delegated mapping gets ([C14] Pd::del_crd): what its source holds, masked by the
// sender's CRD and the receive window together. Alone in this file so that the fuzzer's canary
// build can link another version of it (tools/fuzz/canary) without an #ifdef in the kernel.
#include "nova/kernel.hpp"

namespace nova {

u8 delegated_rights(u8 source, u8 mask)
{
    return source & mask;
}

} // namespace nova
