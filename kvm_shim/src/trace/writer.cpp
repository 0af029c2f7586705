#include "kvm/trace/writer.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <stdexcept>

namespace kvm::trace {

namespace {
void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
} // namespace

Writer::Writer(std::string const& path) : path_{path}, file_{std::fopen(path.c_str(), "wb")}
{
    if (file_ == nullptr)
        throw std::runtime_error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
    std::fwrite(magic, 1, sizeof magic, file_);
    bytes_ = sizeof magic;
}

void Writer::write_header(Header const& header)
{
    if (header_written_) throw std::logic_error("a trace has one header");
    Byte_writer h;
    codec_.encode_header(header, h);
    put_chunk(Chunk_kind::header, h.bytes);
    header_written_ = true;
}

Writer::~Writer()
{
    if (header_written_) flush();
    std::fclose(file_);
}

void Writer::write(Record const& record)
{
    if (!header_written_) throw std::logic_error("a trace record before the header");
    codec_.encode(record, pending_);
    ++records_;
    if (pending_.bytes.size() >= chunk_target) flush();
}

void Writer::flush()
{
    if (pending_.bytes.empty()) return;
    put_chunk(Chunk_kind::records, pending_.bytes);
    pending_.bytes.clear();
}

// length, kind, payload, CRC-32 of kind and payload; then to the file at once.
void Writer::put_chunk(Chunk_kind kind, std::vector<std::uint8_t> const& payload)
{
    std::vector<std::uint8_t> chunk;
    put_u32(chunk, static_cast<std::uint32_t>(payload.size()));
    chunk.push_back(static_cast<std::uint8_t>(kind));
    chunk.insert(chunk.end(), payload.begin(), payload.end());
    put_u32(chunk, crc32(chunk.data() + 4, payload.size() + 1));
    std::fwrite(chunk.data(), 1, chunk.size(), file_);
    std::fflush(file_);
    bytes_ += chunk.size();
}

} // namespace kvm::trace
