// Records to bytes and back (internal to the trace writer and reader). Integers are LEB128
// varints; a message's fields are coded against the same vCPU's previous message: a bitmap of
// the fields that changed, then each changed field XORed with its old value — an I/O exit's
// message costs a few bytes.
#pragma once

#include "kvm/trace/fields.hpp"
#include "kvm/trace/format.hpp"

#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace kvm::trace {

class Byte_writer {
  public:
    void byte(std::uint8_t b) { bytes.push_back(b); }
    void varint(std::uint64_t v);
    void text(std::string const& s);
    void blob(std::vector<std::uint8_t> const& b);
    std::vector<std::uint8_t> bytes;
};

class Byte_reader {
  public:
    Byte_reader(std::uint8_t const* data, std::size_t size, std::uint64_t file_offset)
        : data_{data}, size_{size}, base_{file_offset}
    {
    }
    bool done() const { return at_ == size_; }
    std::uint64_t offset() const { return base_ + at_; }
    std::uint8_t byte()
    {
        if (at_ == size_) truncated();
        return data_[at_++];
    }
    // Most numbers of a trace are below 128: one byte, inline; the rest take the long way.
    std::uint64_t varint()
    {
        if (at_ < size_ && data_[at_] < 0x80) return data_[at_++];
        return long_varint();
    }
    std::string text();
    std::vector<std::uint8_t> blob();

  private:
    [[noreturn]] void truncated() const;
    std::uint64_t long_varint();
    std::uint8_t const* data_;
    std::size_t size_;
    std::size_t at_{0};
    std::uint64_t base_;
};

// The per-vCPU memory of the field coding; the writer and the reader each keep one.
class Record_codec {
  public:
    void encode(Record const& r, Byte_writer& out);
    // Throws Format_error for anything that is not a record of this format.
    Record decode(Byte_reader& in);
    void encode_header(Header const& h, Byte_writer& out) const;
    Header decode_header(Byte_reader& in) const;

  private:
    nova::Utcb_arch& previous(std::uint32_t vcpu);
    std::vector<Field const*> const& fields_of(mword mtd);
    void encode_state(std::uint32_t vcpu, mword mtd, nova::Utcb_arch const& state,
                      Byte_writer& out);
    void decode_state(std::uint32_t vcpu, mword mtd, Byte_reader& in);
    void encode_tsc(std::uint32_t cpu, std::uint64_t tsc, Byte_writer& out);
    std::uint64_t decode_tsc(std::uint32_t cpu, Byte_reader& in);
    static std::uint32_t decode_vcpu(Byte_reader& in, std::uint64_t at);
    static std::uint32_t decode_cpu(Byte_reader& in, std::uint64_t at);
    static mword decode_event(Byte_reader& in, std::uint64_t at);
    void decode_run(Record& r, Byte_reader& in);
    void decode_message(Record& r, Byte_reader& in);

    // By vCPU and by CPU: both are numbered densely, and the decoder checks them against limits.
    std::vector<std::unique_ptr<nova::Utcb_arch>> previous_;
    std::vector<std::uint64_t> last_tsc_;
    std::unordered_map<mword, std::vector<Field const*>> fields_by_mtd_;
    std::vector<std::uint8_t> bitmap_; // decode_state's, kept to spare an allocation per record
};

} // namespace kvm::trace
