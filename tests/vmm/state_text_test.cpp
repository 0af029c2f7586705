// State_line, the one format every device's state dump is written in (state_text.hpp).
#include "vmm/state_text.hpp"

#include <gtest/gtest.h>

namespace {

using namespace vmm;

TEST(State_line, RegistersAreZeroPaddedHexCountsDecimal)
{
    EXPECT_EQ(State_line("regs").hex("IMR", 0xb).hex("ICR", 0x4051, 8).dec("count", 12).str(),
              "regs: IMR=0x0b ICR=0x00004051 count=12\n");
    EXPECT_EQ(State_line("wide").hex("value", 0x1234, 2).str(), "wide: value=0x1234\n");
}

TEST(State_line, NothingShowsAsADash)
{
    std::optional<u32> const none;
    EXPECT_EQ(State_line("x").hex("latch", none).dec("written", none).hex_list("IRR", {}).str(),
              "x: latch=- written=- IRR=-\n");
    EXPECT_EQ(State_line("x").hex("latch", std::optional<u16>(0x12), 4).str(), "x: latch=0x0012\n");
}

TEST(State_line, FlagsDeadlinesListsAndModeSets)
{
    State_line line("t");
    line.flag("on", true).flag("off", false).deadline("at", 1500).deadline("idle", never);
    line.hex_list("ISR", {0x30, 0x41}).dec_list("pins", {0, 8});
    line.names("modes", {{"aeoi", true}, {"poll", false}, {"sfnm", true}});
    line.names("none", {{"aeoi", false}});
    EXPECT_EQ(line.str(), "t: on=1 off=0 at=1500ns idle=never ISR=0x30,0x41 pins=0,8 "
                          "modes=aeoi,sfnm none=-\n");
}

} // namespace
