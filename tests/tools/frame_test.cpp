// Frame encoding of every form, checked against the register layout of [C14] §2.1/§2.3 written
// out by hand here; and decoding, which must give every frame a text.
#include "program/frame.hpp"
#include "program/parser.hpp"
#include "program/printer.hpp"

#include "test_seed.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

namespace {

using namespace hcl;
using nova::Sys_regs;

Call call_of(std::string_view line)
{
    Parse_result result = parse_program(line, "test.hcl");
    if (auto const* error = std::get_if<Parse_error>(&result)) {
        ADD_FAILURE() << to_string(*error);
        return blank_call(raw_form());
    }
    return std::get<Program>(result).instructions.at(0).call;
}

// RDI as [C14] §2.1 lays it out: number in 3:0, flags in 7:4, selector in 63:8.
constexpr std::uint64_t rdi(std::uint64_t number, std::uint64_t flags, std::uint64_t selector)
{
    return number | flags << 4 | selector << 8;
}

// A CRD word as [C14] §3.3 lays it out.
constexpr std::uint64_t crd(std::uint64_t type, std::uint64_t base, std::uint64_t order,
                            std::uint64_t perms)
{
    return type | perms << 2 | order << 7 | base << 12;
}

struct Encoding {
    std::string_view line;
    std::uint64_t rdi, rsi, rdx, rax, r8;
};

constexpr Encoding encodings[] = {
    {"call 67", rdi(0x0, 0, 67), 0, 0, 0, 0},
    {"call 67 nonblocking", rdi(0x0, 1, 67), 0, 0, 0, 0},
    {"reply", rdi(0x1, 0, 0), 0, 0, 0, 0},
    {"create_pd 64 owner=32 crd=obj:0/0", rdi(0x2, 0, 64), 32, crd(3, 0, 0, 0x1f), 0, 0},
    {"create_pd 64 owner=32 crd=obj:32/2:0x3", rdi(0x2, 0, 64), 32, crd(3, 32, 2, 0x3), 0, 0},
    {"create_ec 65 owner=32 utcb=0x1000 cpu=3 sp=0x8000 evt=96 global", rdi(0x3, 1, 65), 32,
     0x1000 | 3, 0x8000, 96},
    {"create_ec 65 owner=32 utcb=0x7fffffffd000", rdi(0x3, 0, 65), 32, 0x7fffffffd000, 0, 0},
    {"create_sc 66 owner=32 ec=65 prio=7 quantum=10000", rdi(0x4, 0, 66), 32, 65,
     10000ull << 12 | 7, 0},
    {"create_pt 67 owner=32 ec=68 mtd=0x3 ip=0x1000", rdi(0x5, 0, 67), 32, 68, 0x3, 0x1000},
    {"create_sm 69 owner=32 count=5", rdi(0x6, 0, 69), 32, 5, 0, 0},
    {"revoke crd=mem:0x100/2:rw self", rdi(0x7, 1, 0), crd(1, 0x100, 2, 0x3), 0, 0, 0},
    {"revoke crd=pio:0x3f8/3:a", rdi(0x7, 0, 0), crd(2, 0x3f8, 3, 0x1), 0, 0, 0},
    {"revoke crd=obj:64/3:0x2 self", rdi(0x7, 1, 0), crd(3, 64, 3, 0x2), 0, 0, 0},
    {"lookup crd=obj:64/0", rdi(0x8, 0, 0), crd(3, 64, 0, 0x1f), 0, 0, 0},
    {"lookup crd=mem:0x10a/0", rdi(0x8, 0, 0), crd(1, 0x10a, 0, 0x1f), 0, 0, 0},
    {"lookup crd=pio:0x3fb/0:a", rdi(0x8, 0, 0), crd(2, 0x3fb, 0, 0x1), 0, 0, 0},
    {"ec_ctrl 65", rdi(0x9, 0, 65), 0, 0, 0, 0},
    {"sc_ctrl 66", rdi(0xa, 0, 66), 0, 0, 0, 0},
    {"pt_ctrl 67 pid=5", rdi(0xb, 0, 67), 5, 0, 0, 0},
    {"sm_ctrl 69 down zero deadline=0x123456789", rdi(0xc, 3, 69), 0x1, 0x23456789, 0, 0},
    {"sm_ctrl 69", rdi(0xc, 0, 69), 0, 0, 0, 0},
    {"assign_pci 64 dev=0x2000 rid=0x10", rdi(0xd, 0, 64), 0x2000, 0x10, 0, 0},
    {"assign_gsi 200 dev=0x3000 cpu=1", rdi(0xe, 0, 200), 0x3000, 1, 0, 0},
    {"raw rdi=0x2f rsi=1", 0x2f, 1, 0, 0, 0},
    {"raw rdi=0xffffffffffffffff r8=0x8", ~0ull, 0, 0, 0, 0x8},
    {"create_pd 0xffffffffffffff owner=32 crd=null", rdi(0x2, 0, 0xffffffffffffff), 32, 0, 0, 0},
};

TEST(Frame, EncodesEveryFormAsTheAbiLaysItOut)
{
    for (Encoding const& e : encodings) {
        Sys_regs frame = to_frame(call_of(e.line));
        EXPECT_EQ(frame.rdi, e.rdi) << e.line;
        EXPECT_EQ(frame.rsi, e.rsi) << e.line;
        EXPECT_EQ(frame.rdx, e.rdx) << e.line;
        EXPECT_EQ(frame.rax, e.rax) << e.line;
        EXPECT_EQ(frame.r8, e.r8) << e.line;
    }
}

TEST(Frame, AgreesWithTheKernelsOwnDecoders)
{
    Sys_regs frame = to_frame(call_of("create_sc 66 owner=32 ec=65 prio=7 quantum=10000"));
    EXPECT_EQ(frame.number(), nova::Hypercall::create_sc);
    EXPECT_EQ(frame.sel(), 66u);
    EXPECT_EQ(nova::Qpd(frame.rax).prio(), 7);
    EXPECT_EQ(nova::Qpd(frame.rax).quantum_us(), 10000u);
    Sys_regs revoke = to_frame(call_of("revoke crd=mem:0x100/2:rw self"));
    EXPECT_EQ(revoke.flags(), nova::flag::revoke_self);
    EXPECT_EQ(nova::Crd(revoke.rsi).base(), 0x100u);
    EXPECT_EQ(nova::Crd(revoke.rsi).order(), 2);
    EXPECT_EQ(nova::Crd(revoke.rsi).perms(), nova::perm::mem_r | nova::perm::mem_w);
}

TEST(Frame, DecodesEveryEncodingBackToItsCall)
{
    for (Encoding const& e : encodings) {
        Call call = call_of(e.line);
        EXPECT_EQ(format_call(from_frame(to_frame(call))), format_call(call)) << e.line;
    }
}

Sys_regs frame_of(std::uint64_t rdi, std::uint64_t rsi = 0, std::uint64_t rdx = 0,
                  std::uint64_t rax = 0, std::uint64_t r8 = 0)
{
    Sys_regs frame{};
    frame.rdi = rdi;
    frame.rsi = rsi;
    frame.rdx = rdx;
    frame.rax = rax;
    frame.r8 = r8;
    return frame;
}

TEST(Frame, DecodesFramesNoFormCanWriteAsRaw)
{
    EXPECT_EQ(format_call(from_frame(frame_of(0xf))), "raw rdi=0xf");
    EXPECT_EQ(format_call(from_frame(frame_of(rdi(0x2, 0, 64), 32, 0, 1))),
              "raw rdi=0x4002 rsi=0x20 rax=0x1"); // create_pd has nothing in RAX
    EXPECT_EQ(format_call(from_frame(frame_of(rdi(0x1, 0, 5)))), "raw rdi=0x501"); // reply
    EXPECT_EQ(format_call(from_frame(frame_of(rdi(0x2, 2, 64)))), "raw rdi=0x4022");
    EXPECT_EQ(format_call(from_frame(frame_of(rdi(0x4, 0, 66), 32, 65, 0x100))),
              "raw rdi=0x4204 rsi=0x20 rdx=0x41 rax=0x100"); // QPD bits 11:8
    EXPECT_EQ(format_call(from_frame(frame_of(rdi(0xc, 0, 69), 1, 2))),
              "sm_ctrl 69 deadline=4294967298");
}

TEST(Frame, ReadsOutputsFromTheResultRegisters)
{
    Sys_regs frame = frame_of(0, crd(3, 64, 0, 0x1f), 0);
    EXPECT_EQ(read_outputs(*find_form("lookup"), frame)[0], crd(3, 64, 0, 0x1f));
    Sys_regs time = frame_of(0, 0x1, 0x2);
    EXPECT_EQ(read_outputs(*find_form("sc_ctrl"), time)[0], 0x1'0000'0002u);
    Sys_regs msi = frame_of(0, 0xfee00000, 0x4021);
    Outputs gsi = read_outputs(*find_form("assign_gsi"), msi);
    EXPECT_EQ(gsi[0], 0xfee00000u);
    EXPECT_EQ(gsi[1], 0x4021u);
    EXPECT_FALSE(read_outputs(*find_form("create_pd"), msi)[0].has_value());
}

// A random frame, biased towards the shapes forms can write so both decode paths are taken.
Sys_regs random_frame(std::mt19937_64& random)
{
    auto sparse = [&random] { return random() % 4 == 0 ? random() : random() % 4 * 0x1000; };
    return frame_of(random() % 2 == 0 ? random() : random() & 0xffff, sparse(), sparse(), sparse(),
                    sparse());
}

TEST(Frame, EveryFrameHasATextThatWritesItExactly)
{
    std::uint64_t seed = novasim_test::seed(); // NOVASIM_SEED picks the frames
    SCOPED_TRACE("NOVASIM_SEED=" + std::to_string(seed));
    std::mt19937_64 random(seed);
    for (int i = 0; i < 20000; ++i) {
        Sys_regs frame = random_frame(random);
        std::string text = format_call(from_frame(frame));
        Sys_regs again = to_frame(call_of(text));
        ASSERT_EQ(again.rdi, frame.rdi) << text;
        ASSERT_EQ(again.rsi, frame.rsi) << text;
        ASSERT_EQ(again.rdx, frame.rdx) << text;
        ASSERT_EQ(again.rax, frame.rax) << text;
        ASSERT_EQ(again.r8, frame.r8) << text;
    }
}

} // namespace
