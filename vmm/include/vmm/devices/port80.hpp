// Port 0x80, the POST-code port: firmware writes progress codes here and Linux's io_delay()
// writes to it to wait an I/O cycle. Writes are kept (the last code and a count) for tests and
// traces; reads return 0xff, as an ISA bus with nothing driving it does.
//
// Leaves out: nothing a guest can observe. Threat model: any write is one assignment.
#pragma once

#include "vmm/bus.hpp"

#include <string>

namespace vmm {

class Port80 final : public Io_device {
  public:
    explicit Port80(Bus& bus, u16 port = 0x80);

    u32 io_read(u16, unsigned) override { return 0xff; }
    void io_write(u16 port, unsigned size, u32 value) override;

    u8 last_code() const { return last_code_; }
    u64 writes() const { return writes_; }
    std::string describe_state() const; // the last code and the count (state_text.hpp)

  private:
    u8 last_code_{0};
    u64 writes_{0};
};

} // namespace vmm
