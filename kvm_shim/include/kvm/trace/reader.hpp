// Reading a trace, chunk by chunk, every chunk checked (length, kind, CRC-32) before a record of
// it is decoded. Anything that is not this format is a Format_error with the byte offset; a file
// that ends inside its last chunk (a recorder that was killed) reads up to there and says so.
#pragma once

#include "kvm/trace/codec.hpp"

#include <optional>
#include <string>
#include <vector>

namespace kvm::trace {

class Reader {
  public:
    explicit Reader(std::vector<std::uint8_t> bytes);
    static Reader
    open(std::string const& path); // std::runtime_error (without the path) when unreadable

    Header const& header() const { return header_; }
    // Back to the first record (a replay reads the file again after its scan).
    void rewind();
    // The next record; nothing at the end.
    std::optional<Record> next();
    // The file ended inside a chunk: the records of that chunk are lost.
    bool tail_missing() const { return tail_missing_; }
    std::uint64_t offset() const { return chunk_start_; }
    std::uint64_t size() const { return bytes_.size(); }

  private:
    bool open_chunk(); // false at the end of the file
    std::vector<std::uint8_t> read_chunk(Chunk_kind& kind);

    std::vector<std::uint8_t> bytes_;
    std::size_t first_chunk_{0}; // the first after the header
    std::size_t pos_{0};
    std::uint64_t chunk_start_{0};
    Record_codec codec_;
    Header header_;
    std::vector<std::uint8_t> chunk_;
    std::optional<Byte_reader> in_;
    bool tail_missing_{false};
};

// Writes the right checksum into every complete chunk of a file, in place (after the magic, as
// far as the chunk lengths lead). For fuzzing and tests: damage that passes the checksums
// reaches the record decoder, the scan and the replay.
void reseal_chunks(std::vector<std::uint8_t>& file);

} // namespace kvm::trace
