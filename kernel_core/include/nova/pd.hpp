// Protection domain: the three spaces ([C14] §1.1).
#pragma once

#include "kobject.hpp"
#include "space.hpp"

namespace nova {

class Pd : public Kobject {
  public:
    static constexpr Object_type type_id = Object_type::pd;

    explicit Pd(unsigned sel_bits)
        : Kobject{type_id}, obj{this, Crd::Type::obj, sel_bits},
          mem{this, Crd::Type::mem, Space::mem_key_bits}, pio{this, Crd::Type::pio,
                                                              Space::pio_key_bits}
    {
    }

    Space& space(Crd::Type type);

    Space obj;
    Space mem;
    Space pio;
};

} // namespace nova
