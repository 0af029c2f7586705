// The field table of a message's state (kvm/trace/fields.hpp): its fast paths — runs, counts,
// fixed-size copies — give what a plain walk over every field gives.
#include "kvm/trace/fields.hpp"
#include "nova/mtd.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace {

using namespace kvm::trace;

std::vector<Field const*> plain_walk(mword mtd)
{
    std::vector<Field const*> named;
    for (Field const& f : all_fields()) {
        if ((f.group & mtd) != 0) named.push_back(&f);
    }
    return named;
}

std::vector<mword> masks()
{
    std::vector<mword> m{all_groups(), nova::mtd::gpr_acdb | nova::mtd::qual,
                         nova::mtd::rip_len | nova::mtd::fpu | nova::mtd::cs_ss};
    for (unsigned bit = 0; bit < 64; ++bit) m.push_back(mword{1} << bit);
    return m;
}

TEST(TraceFields, EveryFieldIsOneTwoFourOrEightBytesInsideTheState)
{
    for (Field const& f : all_fields()) {
        SCOPED_TRACE(f.name);
        EXPECT_TRUE(f.size == 1 || f.size == 2 || f.size == 4 || f.size == 8);
        EXPECT_LE(f.offset + f.size, sizeof(nova::Utcb_arch));
        EXPECT_EQ(f.group & (f.group - 1), 0u) << "one MTD bit per field";
    }
}

TEST(TraceFields, RunsAndCountsNameWhatAWalkOverEveryFieldNames)
{
    for (mword mtd : masks()) {
        SCOPED_TRACE(mtd);
        std::vector<Field const*> seen;
        for_each_field(mtd, [&seen](Field const& f) { seen.push_back(&f); });
        EXPECT_EQ(seen, plain_walk(mtd));
        EXPECT_EQ(field_count(mtd), seen.size());
    }
}

TEST(TraceFields, SetWritesItsFieldAndNothingBesideIt)
{
    for (Field const& f : all_fields()) {
        SCOPED_TRACE(f.name);
        nova::Utcb_arch a{};
        std::uint64_t value = 0x8877'6655'4433'2211;
        set(a, f, value);
        std::uint64_t mask = f.size == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << 8 * f.size) - 1;
        EXPECT_EQ(get(a, f), value & mask);
        auto const* bytes = reinterpret_cast<std::uint8_t const*>(&a);
        for (std::size_t i = 0; i < sizeof a; ++i) {
            if (i < f.offset || i >= f.offset + f.size) {
                ASSERT_EQ(bytes[i], 0u) << "byte " << i;
            }
        }
    }
}

} // namespace
