// Portal ([C14] §4.3): an entry point into a local EC with a portal id and a message
// transfer descriptor for events.
#pragma once

#include "kobject.hpp"

namespace nova {

class Ec;

class Pt : public Kobject {
  public:
    static constexpr Object_type type_id = Object_type::pt;

    Pt(Ec* ec, mword mtd, mword ip) : Kobject{type_id}, ec{ec}, mtd{mtd}, ip{ip} {}

    Ec* const ec;
    mword const mtd;
    mword const ip;
    mword pid{0};
};

} // namespace nova
