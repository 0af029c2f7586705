#include "kvm/trace/reader.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace kvm::trace {

namespace {
std::uint32_t get_u32(std::uint8_t const* p)
{
    return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
           std::uint32_t{p[3]} << 24;
}
} // namespace

Reader Reader::open(std::string const& path)
{
    std::ifstream in{path, std::ios::binary};
    // The caller names the file: it knows what the file was for.
    if (!in)
        throw std::runtime_error(fmt::format("cannot read the file: {}", std::strerror(errno)));
    std::vector<std::uint8_t> bytes;
    constexpr std::size_t block = 1 << 16; // in blocks: a pipe has no size to ask for
    while (in) {
        std::size_t have = bytes.size();
        bytes.resize(have + block);
        in.read(reinterpret_cast<char*>(bytes.data() + have), block);
        bytes.resize(have + static_cast<std::size_t>(in.gcount()));
    }
    return Reader{std::move(bytes)};
}

Reader::Reader(std::vector<std::uint8_t> bytes) : bytes_{std::move(bytes)}
{
    if (bytes_.size() < sizeof magic || std::memcmp(bytes_.data(), magic, sizeof magic) != 0)
        throw Format_error(0, "not a novasim trace (wrong magic)");
    pos_ = sizeof magic;
    Chunk_kind kind{};
    std::vector<std::uint8_t> header = read_chunk(kind);
    if (tail_missing_) throw Format_error(sizeof magic, "the header is incomplete");
    if (kind != Chunk_kind::header)
        throw Format_error(sizeof magic, "the first chunk is not the header");
    Byte_reader in{header.data(), header.size(), sizeof magic + 5};
    header_ = codec_.decode_header(in);
    if (!in.done()) throw Format_error(in.offset(), "the header has bytes after its end");
    first_chunk_ = pos_;
}

void Reader::rewind()
{
    pos_ = first_chunk_;
    codec_ = Record_codec{};
    in_.reset();
    chunk_.clear();
    tail_missing_ = false;
}

// One whole chunk at pos_, checked; empty with tail_missing_ when the file ends inside it.
std::vector<std::uint8_t> Reader::read_chunk(Chunk_kind& kind)
{
    chunk_start_ = pos_;
    std::size_t left = bytes_.size() - pos_;
    if (left < 5) {
        tail_missing_ = true;
        return {};
    }
    std::uint32_t length = get_u32(&bytes_[pos_]);
    if (length > max_chunk)
        throw Format_error(
            pos_, fmt::format("a chunk of {} bytes is absurd (at most {})", length, max_chunk));
    std::uint8_t k = bytes_[pos_ + 4];
    if (k != static_cast<std::uint8_t>(Chunk_kind::header) &&
        k != static_cast<std::uint8_t>(Chunk_kind::records))
        throw Format_error(pos_ + 4, fmt::format("unknown chunk kind {}", k));
    if (left < std::size_t{length} + 9) {
        tail_missing_ = true;
        return {};
    }
    std::uint32_t stored = get_u32(&bytes_[pos_ + 5 + length]);
    if (crc32(&bytes_[pos_ + 4], std::size_t{length} + 1) != stored)
        throw Format_error(pos_, "bad checksum: the chunk is corrupted");
    kind = static_cast<Chunk_kind>(k);
    std::vector<std::uint8_t> payload(bytes_.begin() + static_cast<long>(pos_ + 5),
                                      bytes_.begin() + static_cast<long>(pos_ + 5 + length));
    pos_ += std::size_t{length} + 9;
    return payload;
}

bool Reader::open_chunk()
{
    while (pos_ < bytes_.size() && !tail_missing_) {
        Chunk_kind kind{};
        std::uint64_t start = pos_;
        chunk_ = read_chunk(kind);
        if (tail_missing_) return false;
        if (kind == Chunk_kind::header) throw Format_error(start, "a second header");
        if (chunk_.empty()) continue;
        in_.emplace(chunk_.data(), chunk_.size(), start + 5);
        return true;
    }
    return false;
}

std::optional<Record> Reader::next()
{
    if ((!in_ || in_->done()) && !open_chunk()) return std::nullopt;
    return codec_.decode(*in_);
}

void reseal_chunks(std::vector<std::uint8_t>& file)
{
    for (std::size_t pos = sizeof magic; pos + 9 <= file.size();) {
        std::size_t length = get_u32(&file[pos]);
        if (length > max_chunk || pos + 9 + length > file.size()) return;
        std::uint32_t crc = crc32(&file[pos + 4], length + 1);
        for (std::size_t i = 0; i < 4; ++i)
            file[pos + 5 + length + i] = static_cast<std::uint8_t>(crc >> (8 * i));
        pos += 9 + length;
    }
}

} // namespace kvm::trace
