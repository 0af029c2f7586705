#include "kvm/segments.hpp"

namespace kvm {

nova::Utcb_segment to_utcb(kvm_segment const& s)
{
    auto ar = static_cast<nova::u16>((s.type & 0xf) | (s.s & 1) << 4 | (s.dpl & 3) << 5 |
                                     (s.present & 1) << 7 | (s.avl & 1) << 8 | (s.l & 1) << 9 |
                                     (s.db & 1) << 10 | (s.g & 1) << 11 | (s.unusable & 1) << 12);
    return nova::Utcb_segment{s.selector, ar, s.limit, s.base};
}

kvm_segment from_utcb(nova::Utcb_segment const& u)
{
    kvm_segment s{};
    s.base = u.base;
    s.limit = u.limit;
    s.selector = u.sel;
    s.type = u.ar & 0xf;
    s.s = u.ar >> 4 & 1;
    s.dpl = u.ar >> 5 & 3;
    s.present = u.ar >> 7 & 1;
    s.avl = u.ar >> 8 & 1;
    s.l = u.ar >> 9 & 1;
    s.db = u.ar >> 10 & 1;
    s.g = u.ar >> 11 & 1;
    s.unusable = u.ar >> 12 & 1;
    return s;
}

nova::Utcb_segment to_utcb(kvm_dtable const& t)
{
    return nova::Utcb_segment{0, 0, t.limit, t.base};
}

kvm_dtable dtable_from_utcb(nova::Utcb_segment const& u)
{
    kvm_dtable t{};
    t.base = u.base;
    t.limit = static_cast<__u16>(u.limit);
    return t;
}

} // namespace kvm
