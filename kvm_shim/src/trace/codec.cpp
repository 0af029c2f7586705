#include "kvm/trace/codec.hpp"

#include "kvm/trace/fields.hpp"
#include "nova/platform.hpp"

#include <array>
#include <bit>
#include <fmt/format.h>

namespace kvm::trace {

namespace {

constexpr std::uint32_t max_vcpus = 4096;
constexpr std::uint32_t max_cpus = 64;
constexpr std::size_t max_text = 1u << 20;
constexpr mword max_event = 0xff; // nova/vmx.hpp: events are portal offsets below 256

} // namespace

Format_error::Format_error(std::uint64_t at, std::string const& what)
    : std::runtime_error{fmt::format("byte {}: {}", at, what)}, offset{at}
{
}

// CRC-32 (IEEE, reflected), eight bytes a step ("slicing by 8"): table[k][b] is the CRC of byte b
// followed by k zero bytes, so eight table lookups advance the CRC over eight bytes at once.
std::uint32_t crc32(std::uint8_t const* data, std::size_t size, std::uint32_t crc)
{
    using Tables = std::array<std::array<std::uint32_t, 256>, 8>;
    static Tables const table = [] {
        Tables t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xedb8'8320u ^ (c >> 1) : c >> 1;
            t[0][i] = c;
        }
        for (std::size_t k = 1; k < 8; ++k) {
            for (std::size_t i = 0; i < 256; ++i)
                t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
        }
        return t;
    }();
    crc = ~crc;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint32_t lo = crc ^ (data[i] | data[i + 1] << 8 | data[i + 2] << 16 |
                                  static_cast<std::uint32_t>(data[i + 3]) << 24);
        crc = table[7][lo & 0xff] ^ table[6][lo >> 8 & 0xff] ^ table[5][lo >> 16 & 0xff] ^
              table[4][lo >> 24] ^ table[3][data[i + 4]] ^ table[2][data[i + 5]] ^
              table[1][data[i + 6]] ^ table[0][data[i + 7]];
    }
    for (; i < size; ++i) crc = table[0][(crc ^ data[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

char const* type_name(Record::Type type)
{
    switch (type) {
    case Record::Type::vcpu_create:
        return "vcpu_create";
    case Record::Type::vcpu_destroy:
        return "vcpu_destroy";
    case Record::Type::run:
        return "run";
    case Record::Type::load:
        return "load";
    case Record::Type::store:
        return "store";
    case Record::Type::input:
        return "input";
    case Record::Type::dispatch:
        return "dispatch";
    case Record::Type::end:
        return "end";
    }
    return "?";
}

void Byte_writer::varint(std::uint64_t v)
{
    while (v >= 0x80) {
        bytes.push_back(static_cast<std::uint8_t>(v | 0x80));
        v >>= 7;
    }
    bytes.push_back(static_cast<std::uint8_t>(v));
}

void Byte_writer::text(std::string const& s)
{
    varint(s.size());
    bytes.insert(bytes.end(), s.begin(), s.end());
}

void Byte_writer::blob(std::vector<std::uint8_t> const& b)
{
    varint(b.size());
    bytes.insert(bytes.end(), b.begin(), b.end());
}

void Byte_reader::truncated() const
{
    throw Format_error(offset(), "truncated record: the chunk ends inside it");
}

std::uint64_t Byte_reader::long_varint()
{
    std::uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (shift > 63) throw Format_error(offset(), "a number longer than 64 bits");
        std::uint8_t b = byte();
        // The tenth byte holds bit 63 alone; more bits there would be dropped without a word.
        if (shift == 63 && (b & 0x7e) != 0)
            throw Format_error(offset() - 1, "a number longer than 64 bits");
        v |= std::uint64_t{b & 0x7fu} << shift;
        if ((b & 0x80) == 0) return v;
    }
}

std::string Byte_reader::text()
{
    std::vector<std::uint8_t> b = blob();
    return std::string(b.begin(), b.end());
}

std::vector<std::uint8_t> Byte_reader::blob()
{
    std::uint64_t n = varint();
    if (n > size_ - at_) truncated();
    std::vector<std::uint8_t> out(data_ + at_, data_ + at_ + n);
    at_ += n;
    return out;
}

nova::Utcb_arch& Record_codec::previous(std::uint32_t vcpu)
{
    if (vcpu >= previous_.size()) previous_.resize(vcpu + 1);
    auto& p = previous_[vcpu];
    if (!p) p = std::make_unique<nova::Utcb_arch>();
    return *p;
}

// The bitmap of changed fields (in the table's order), then each changed value XOR the last.
void Record_codec::encode_state(std::uint32_t vcpu, mword mtd, nova::Utcb_arch const& state,
                                Byte_writer& out)
{
    nova::Utcb_arch& prev = previous(vcpu);
    std::size_t bitmap_at = out.bytes.size(), i = 0;
    out.bytes.resize(bitmap_at + (field_count(mtd) + 7) / 8, 0);
    for_each_field(mtd, [&](Field const& f) {
        std::uint64_t now = get(state, f), before = get(prev, f);
        if (now != before) {
            out.bytes[bitmap_at + i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
            out.varint(now ^ before);
            set(prev, f, now);
        }
        ++i;
    });
}

// Only the changed fields cost anything: the bitmap's set bits index the MTD's field list.
void Record_codec::decode_state(std::uint32_t vcpu, mword mtd, Byte_reader& in)
{
    nova::Utcb_arch& prev = previous(vcpu);
    std::vector<Field const*> const& named = fields_of(mtd);
    std::size_t bitmap_bytes = (named.size() + 7) / 8;
    bitmap_.resize(bitmap_bytes);
    for (std::uint8_t& b : bitmap_) b = in.byte();
    for (std::size_t byte = 0; byte < bitmap_bytes; ++byte) {
        for (unsigned bits = bitmap_[byte]; bits != 0; bits &= bits - 1) {
            std::size_t i = byte * 8 + static_cast<unsigned>(std::countr_zero(bits));
            if (i >= named.size())
                throw Format_error(in.offset(), "a changed field the MTD does not name");
            Field const& f = *named[i];
            std::uint64_t x = in.varint();
            std::uint64_t mask =
                f.size == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * f.size)) - 1;
            if ((x & ~mask) != 0)
                throw Format_error(in.offset(),
                                   fmt::format("{} does not fit its {} bytes", f.name, f.size));
            set(prev, f, get(prev, f) ^ x);
        }
    }
}

// The fields `mtd` names in the table's order, kept per MTD (a trace has few distinct ones).
std::vector<Field const*> const& Record_codec::fields_of(mword mtd)
{
    auto [it, made] = fields_by_mtd_.try_emplace(mtd);
    std::vector<Field const*>& fields = it->second;
    if (made) for_each_field(mtd, [&fields](Field const& f) { fields.push_back(&f); });
    return fields;
}

// A CPU's clock only moves forward, but a file may say anything: the difference is zigzag-coded.
void Record_codec::encode_tsc(std::uint32_t cpu, std::uint64_t tsc, Byte_writer& out)
{
    if (cpu >= last_tsc_.size()) last_tsc_.resize(cpu + 1);
    std::uint64_t& last = last_tsc_[cpu];
    std::uint64_t diff = tsc - last;
    out.varint(diff << 1 ^ (static_cast<std::int64_t>(diff) < 0 ? ~std::uint64_t{0} : 0));
    last = tsc;
}

std::uint64_t Record_codec::decode_tsc(std::uint32_t cpu, Byte_reader& in)
{
    std::uint64_t z = in.varint();
    if (cpu >= last_tsc_.size()) last_tsc_.resize(cpu + 1);
    std::uint64_t& last = last_tsc_[cpu];
    last += z >> 1 ^ (~(z & 1) + 1);
    return last;
}

void Record_codec::encode(Record const& r, Byte_writer& out)
{
    out.byte(static_cast<std::uint8_t>(r.type));
    switch (r.type) {
    case Record::Type::vcpu_create:
        out.varint(r.vcpu), out.varint(r.cpu), out.varint(r.ec);
        return;
    case Record::Type::vcpu_destroy:
        out.varint(r.vcpu);
        return;
    case Record::Type::run:
        out.varint(r.vcpu), out.varint(r.cpu), encode_tsc(r.cpu, r.tsc, out);
        out.varint(r.event + 1), out.varint(r.qual[0]), out.varint(r.qual[1]);
        out.byte(r.optional ? 1 : 0), out.varint(r.cycles);
        return;
    case Record::Type::load:
    case Record::Type::store:
        out.varint(r.vcpu), out.varint(r.event + 1), out.varint(r.mtd);
        encode_state(r.vcpu, r.mtd, *r.state, out);
        return;
    case Record::Type::input:
        out.varint(r.vm), out.varint(r.call), out.blob(r.bytes);
        return;
    case Record::Type::dispatch:
        out.varint(r.cpu), encode_tsc(r.cpu, r.tsc, out), out.varint(r.ec);
        return;
    case Record::Type::end:
        out.blob(r.bytes);
        return;
    }
}

std::uint32_t Record_codec::decode_vcpu(Byte_reader& in, std::uint64_t at)
{
    std::uint64_t v = in.varint();
    if (v >= max_vcpus) throw Format_error(at, fmt::format("vCPU {} is absurd", v));
    return static_cast<std::uint32_t>(v);
}

std::uint32_t Record_codec::decode_cpu(Byte_reader& in, std::uint64_t at)
{
    std::uint64_t c = in.varint();
    if (c >= max_cpus) throw Format_error(at, fmt::format("CPU {} is absurd", c));
    return static_cast<std::uint32_t>(c);
}

mword Record_codec::decode_event(Byte_reader& in, std::uint64_t at)
{
    std::uint64_t e = in.varint();
    if (e > max_event + 1) throw Format_error(at, fmt::format("event {:#x} is absurd", e - 1));
    return e - 1;
}

void Record_codec::decode_run(Record& r, Byte_reader& in)
{
    r.vcpu = decode_vcpu(in, r.offset), r.cpu = decode_cpu(in, r.offset);
    r.tsc = decode_tsc(r.cpu, in), r.event = decode_event(in, r.offset);
    r.qual[0] = in.varint(), r.qual[1] = in.varint();
    std::uint8_t optional = in.byte();
    if (optional > 1) throw Format_error(r.offset, "a run's optional flag is neither 0 nor 1");
    r.optional = optional == 1, r.cycles = in.varint();
}

void Record_codec::decode_message(Record& r, Byte_reader& in)
{
    r.vcpu = decode_vcpu(in, r.offset), r.event = decode_event(in, r.offset);
    if (r.event == nova::Vm_exit::none) throw Format_error(r.offset, "a message without an event");
    r.mtd = in.varint();
    if ((r.mtd & ~all_groups()) != 0)
        throw Format_error(r.offset,
                           fmt::format("MTD {:#x} names no state this format knows", r.mtd));
    decode_state(r.vcpu, r.mtd, in);
    r.state = &previous(r.vcpu);
}

Record Record_codec::decode(Byte_reader& in)
{
    Record r;
    r.offset = in.offset();
    std::uint8_t type = in.byte();
    if (type < 1 || type > static_cast<std::uint8_t>(Record::Type::end))
        throw Format_error(r.offset, fmt::format("unknown record type {}", type));
    r.type = static_cast<Record::Type>(type);
    switch (r.type) {
    case Record::Type::vcpu_create:
        r.vcpu = decode_vcpu(in, r.offset), r.cpu = decode_cpu(in, r.offset), r.ec = in.varint();
        break;
    case Record::Type::vcpu_destroy:
        r.vcpu = decode_vcpu(in, r.offset);
        break;
    case Record::Type::run:
        decode_run(r, in);
        break;
    case Record::Type::load:
    case Record::Type::store:
        decode_message(r, in);
        break;
    case Record::Type::input:
        r.vm = static_cast<std::uint32_t>(in.varint()), r.call = in.varint(), r.bytes = in.blob();
        break;
    case Record::Type::dispatch:
        r.cpu = decode_cpu(in, r.offset), r.tsc = decode_tsc(r.cpu, in), r.ec = in.varint();
        break;
    case Record::Type::end:
        r.bytes = in.blob();
        break;
    }
    return r;
}

void Record_codec::encode_header(Header const& h, Byte_writer& out) const
{
    out.varint(h.version);
    out.text(h.novasim_version), out.text(h.scenario_file), out.text(h.scenario_text);
    out.varint(h.images.size());
    for (auto const& [name, bytes] : h.images) out.text(name), out.blob(bytes);
    out.text(h.host_kvm), out.text(h.host_cpu), out.text(h.calibration);
}

Header Record_codec::decode_header(Byte_reader& in) const
{
    Header h;
    std::uint64_t at = in.offset();
    std::uint64_t version = in.varint();
    if (version != format_version)
        throw Format_error(
            at, fmt::format("format version {} (this novasim reads {})", version, format_version));
    h.version = static_cast<std::uint16_t>(version);
    h.novasim_version = in.text(), h.scenario_file = in.text(), h.scenario_text = in.text();
    std::uint64_t images = in.varint();
    if (images > 64) throw Format_error(in.offset(), fmt::format("{} images is absurd", images));
    for (std::uint64_t i = 0; i < images; ++i) {
        std::string name = in.text();
        h.images.emplace_back(name, in.blob());
    }
    h.host_kvm = in.text(), h.host_cpu = in.text(), h.calibration = in.text();
    if (h.scenario_text.size() > max_text) throw Format_error(at, "the scenario is absurdly long");
    return h;
}

} // namespace kvm::trace
