// Writing a trace: the magic at once, then the header (which may wait until the machine has
// measured its host), then records in chunks of about 4 KiB that go to the file whole (a
// recorder that dies loses only the chunk it was filling).
#pragma once

#include "kvm/trace/codec.hpp"

#include <cstdio>
#include <string>

namespace kvm::trace {

class Writer {
  public:
    // std::runtime_error naming the file when it cannot be written.
    explicit Writer(std::string const& path);
    Writer(std::string const& path, Header const& header) : Writer{path} { write_header(header); }
    ~Writer();
    Writer(Writer const&) = delete;
    Writer& operator=(Writer const&) = delete;

    void write_header(Header const& header); // once, before the first record
    void write(Record const& record);
    void flush(); // the records so far, as a chunk
    std::uint64_t records() const { return records_; }
    std::uint64_t bytes() const { return bytes_; }

    static constexpr std::size_t chunk_target = 4 * 1024;

  private:
    void put_chunk(Chunk_kind kind, std::vector<std::uint8_t> const& payload);

    std::string path_;
    std::FILE* file_;
    Record_codec codec_;
    Byte_writer pending_;
    std::uint64_t records_{0};
    std::uint64_t bytes_{0};
    bool header_written_{false};
};

} // namespace kvm::trace
