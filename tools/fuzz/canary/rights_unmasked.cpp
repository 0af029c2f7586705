// The canary (TigerBeetle's fuzzer that must fail, testing-and-style-anchors.md §6.7): the
// kernel's delegated_rights (kernel_core/src/rights.cpp) as a careless kernel would write it,
// giving a delegated mapping all the rights of its source, without the masks of the sender's
// CRD and the receive window. The canary fuzz targets link this object before the kernel's
// archive, so the archive's member with the real function is never pulled in. The invariant
// checker cannot see this bug (the child still holds no more than its parent); the reference
// model must.
#include "nova/kernel.hpp"

namespace nova {

u8 delegated_rights(u8 source, u8)
{
    return source;
}

} // namespace nova
