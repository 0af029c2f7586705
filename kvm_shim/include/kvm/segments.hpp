// Segment registers between KVM's form and the UTCB's ([C14] §7.5): the UTCB keeps the access
// rights compressed into 16 bits — type, S, DPL, P in bits 7:0; AVL, L, D/B, G and "unusable"
// in bits 12:8 (VMX's AR bits 15:12 shifted down by four).
#pragma once

#include "nova/utcb.hpp"

#include <linux/kvm.h>

namespace kvm {

nova::Utcb_segment to_utcb(kvm_segment const& s);
kvm_segment from_utcb(nova::Utcb_segment const& u);
nova::Utcb_segment to_utcb(kvm_dtable const& t);
kvm_dtable dtable_from_utcb(nova::Utcb_segment const& u);

} // namespace kvm
