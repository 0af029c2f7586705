// Printing and parsing are inverses: canonical text survives parse-then-print byte for byte, every
// program survives print-then-parse, and other spellings print as the canonical one.
#include "program/parser.hpp"
#include "program/printer.hpp"

#include "parsed_program.hpp"

#include <gtest/gtest.h>

namespace {

using namespace hcl;

using hcl::testing::parsed;

// Canonical lines: every form, with and without optional operands, flags and expectations, and
// revoke and lookup with each type of CRD.
constexpr std::string_view canonical[] = {
    "call 67",
    "call 67 nonblocking -> TIMEOUT",
    "reply",
    "create_pd 64 owner=32 crd=obj:0/0",
    "create_pd 64 owner=32 crd=null -> SUCCESS",
    "create_pd 32 owner=32 crd=obj:32/2:0x3 -> BAD_CAP",
    "create_ec 65 owner=32 utcb=0x1000",
    "create_ec 65 owner=32 utcb=0x1000 cpu=3 sp=0x7000 evt=128 global -> SUCCESS",
    "create_ec 65 owner=32 utcb=0x0 global -> BAD_FTR",
    "create_sc 66 owner=32 ec=65 prio=1 quantum=10000",
    "create_sc 66 owner=32 ec=65 prio=0 quantum=10000 -> BAD_PAR",
    "create_pt 67 owner=32 ec=68 ip=0x1000",
    "create_pt 67 owner=32 ec=68 mtd=0xfffff ip=0x401000 -> SUCCESS",
    "create_sm 69 owner=32",
    "create_sm 69 owner=32 count=3 -> OOM",
    "revoke crd=mem:0x100/2:rw self",
    "revoke crd=pio:0x3f8/3:a",
    "revoke crd=obj:64/0:0x2",
    "revoke crd=obj:64/3 self -> SUCCESS",
    "lookup crd=obj:64/0",
    "lookup crd=obj:64/0 -> SUCCESS crd=obj:64/0",
    "lookup crd=mem:0x7ffffffe/0 -> SUCCESS crd=mem:0x7ffffffe/0:r",
    "lookup crd=obj:1000/0 -> SUCCESS crd=null",
    "lookup crd=0x1000 -> SUCCESS",
    "lookup crd=mem:0x10a/0 -> SUCCESS crd=mem:0x100/4:rwx",
    "lookup crd=pio:0x3fb/0 -> SUCCESS crd=pio:0x3f8/3:a",
    "lookup crd=pio:0x3fb/0 -> SUCCESS crd=null",
    "ec_ctrl 65",
    "sc_ctrl 66",
    "sc_ctrl 34 -> SUCCESS time=0",
    "sc_ctrl 66 -> BAD_CAP",
    "pt_ctrl 67 pid=5",
    "sm_ctrl 69",
    "sm_ctrl 69 down",
    "sm_ctrl 69 deadline=1000 down zero -> TIMEOUT",
    "assign_pci 64 dev=0x2000",
    "assign_pci 64 dev=0x2000 rid=0x100 -> BAD_DEV",
    "assign_gsi 200 dev=0x3000 cpu=1",
    "assign_gsi 200 dev=0x3000 -> SUCCESS msi_addr=0xfee00000 msi_data=0x4021",
    "raw",
    "raw rdi=0x2f rsi=0x1",
    "raw rdi=0x4208 rsi=0x1 rdx=0x2 rax=0x3 r8=0x4 -> 0x10",
    "raw rdi=0xf -> BAD_HYP",
    "raw rdi=0x8 rsi=0x40003 -> SUCCESS rsi=0x4007f",
    "delegate src=32 dst=64 send=obj:70/0 window=obj:5/0",
    "delegate src=32 dst=64 send=obj:70/0:0x2 window=obj:16/4 hotspot=21 -> SUCCESS "
    "crd=obj:21/0:0x2",
    "delegate src=32 dst=32 send=mem:0x200/2 window=mem:0x200/2 kernel -> SUCCESS "
    "crd=mem:0x200/2",
    "delegate src=32 dst=64 send=mem:0x100/0:r window=mem:0x10/0 dma guest kernel -> OOM",
    "delegate src=99 dst=64 send=pio:0x3f8/3:a window=pio:0x3f8/3 -> BAD_CAP",
    "delegate src=32 dst=64 send=obj:70/0 window=mem:0x5/0 -> SUCCESS crd=null",
    "translate src=65 dst=32 crd=obj:20/0 window=obj:0/26",
    "translate src=65 dst=32 crd=obj:20/0 window=obj:0/26 -> SUCCESS crd=obj:70/0:0x3",
    "translate src=64 dst=32 crd=mem:0x42/0 window=mem:0x0/20 -> SUCCESS crd=mem:0x106/0:rwx",
    "translate src=64 dst=32 crd=pio:0x60/0 window=null -> BAD_CAP",
};

// Canonical programs with names, components, blocks and messages: one per new form at least.
constexpr std::string_view canonical_programs[] = {
    "create_sm $s owner=$root_pd count=1\nsm_up $s -> SUCCESS\nsm_down $s deadline=+5000 zero\n",
    "create_sm $s owner=32\nsm_down $s deadline=100000 -> TIMEOUT\nrevoke crd=obj:$s/0:0x3 self\n",
    "slot $w\nec $srv owner=64 cpu=1 window=obj:$w/0\nec $e\n",
    "slot $w\nec $srv window=obj:$w/0 xlt=obj:0/26\nportal $p ec=$srv {\n}\n"
    "call $p window=obj:$w/0 xlt=mem:0x0/20 items=delegate(mem:0x10/2,8,dma,kernel),"
    "delegate(pio:0x60/0,guest),translate(obj:$p/0)\n",
    "ec $srv\nportal $pt ec=$srv pid=7 mtd=0x8 {\n    lookup crd=obj:$pt/0 -> SUCCESS "
    "crd=obj:$pt/0:0x3\n    reply words=1,2 items=delegate(obj:$srv/0:0x3,5),"
    "translate(obj:32/0)\n}\n",
    "ec $srv\nportal $pt ec=$srv {\n}\nthread $t cpu=1 prio=5 quantum=2000 window=obj:64/2 {\n"
    "    call $pt window=obj:100/0 words=1,2,3 items=delegate(obj:$t/0) -> SUCCESS words=\n"
    "    sc_ctrl $t.sc\n    call $pt words= nonblocking -> TIMEOUT\n}\n"
    "delegate src=$root_pd dst=$root_pd send=obj:$t/0 window=obj:9/0 -> SUCCESS crd=obj:9/0\n",
};

TEST(Round_trip, CanonicalProgramsPrintBackUnchanged)
{
    for (std::string_view text : canonical_programs) {
        Program program = parsed(text);
        EXPECT_EQ(format_program(program), text);
        EXPECT_EQ(parsed(format_program(program)), program);
    }
}

TEST(Round_trip, CanonicalLinesPrintBackUnchanged)
{
    for (std::string_view line : canonical) {
        std::string text = std::string(line) + "\n";
        EXPECT_EQ(format_program(parsed(text)), text);
    }
}

TEST(Round_trip, CoversEveryForm)
{
    for (Form const& form : all_forms()) {
        bool covered = false;
        for (std::string_view line : canonical) {
            covered |= line.substr(0, line.find(' ')) == form.mnemonic;
        }
        for (std::string_view text : canonical_programs) {
            covered |= text.find(std::string(form.mnemonic) + " ") != std::string_view::npos;
        }
        EXPECT_TRUE(covered) << form.mnemonic;
    }
}

TEST(Round_trip, ProgramsSurvivePrintingAndParsing)
{
    std::string whole;
    for (std::string_view line : canonical) whole += std::string(line) + "  # comment\n\n";
    Program program = parsed(whole);
    ASSERT_EQ(program.instructions.size(), std::size(canonical));
    EXPECT_EQ(parsed(format_program(program)), program);
}

struct Respelling {
    std::string_view written;
    std::string_view canonical;
};

constexpr Respelling respellings[] = {
    {"create_ec 0x41 global evt=0 sp=0 cpu=0 utcb=4096 owner=0x20",
     "create_ec 65 owner=32 utcb=0x1000 global"},
    {"create_pd 64 owner=32 crd=obj:0/0:0x1f", "create_pd 64 owner=32 crd=obj:0/0"},
    {"create_pd 64 owner=32 crd=3", "create_pd 64 owner=32 crd=obj:0/0:0x0"},
    {"create_pd 64 owner=32 crd=0", "create_pd 64 owner=32 crd=null"},
    {"revoke self crd=mem:256/2:wr", "revoke crd=mem:0x100/2:rw self"},
    {"revoke crd=mem:0x100/2:3", "revoke crd=mem:0x100/2:rw"},
    {"revoke crd=pio:0x3f8/3:1", "revoke crd=pio:0x3f8/3:a"},
    {"sm_ctrl 69 zero down deadline=0", "sm_ctrl 69 down zero"},
    {"create_pt 67 owner=32 ec=68 mtd=0 ip=4096", "create_pt 67 owner=32 ec=68 ip=0x1000"},
    {"raw rdi=0 rsi=0", "raw"},
    {"create_sm $a owner=$root_pd;sm_down  $a deadline=+0x10 zero",
     "create_sm $a owner=$root_pd\nsm_down $a deadline=+16 zero"},
    {"ec $e owner=0x20 cpu=0\nportal $p pid=0 ec=$e { reply words=1 ; }",
     "ec $e\nportal $p ec=$e {\n    reply words=1\n}"},
    {"lookup crd=obj:64/0 -> 0", "lookup crd=obj:64/0 -> SUCCESS"},
    {"call 5 items=delegate(mem:0x10/2,0x0,kernel),delegate(obj:1/0,kernel,dma,guest)",
     "call 5 items=delegate(mem:0x10/2,kernel),delegate(obj:1/0,dma,guest,kernel)"},
    {"delegate kernel guest dma hotspot=0x15 window=obj:16/4 send=obj:70/0:31 dst=0x40 src=32",
     "delegate src=32 dst=64 send=obj:70/0 window=obj:16/4 hotspot=21 dma guest kernel"},
    {"delegate src=32 dst=64 send=obj:70/0 window=obj:5/0 hotspot=0",
     "delegate src=32 dst=64 send=obj:70/0 window=obj:5/0"},
    {"translate window=obj:0/26:0x1f crd=obj:20/0 dst=32 src=0x41 -> SUCCESS crd=0",
     "translate src=65 dst=32 crd=obj:20/0 window=obj:0/26 -> SUCCESS crd=null"},
};

TEST(Round_trip, OtherSpellingsPrintCanonically)
{
    for (Respelling const& r : respellings) {
        EXPECT_EQ(format_program(parsed(r.written)), std::string(r.canonical) + "\n") << r.written;
    }
}

} // namespace
