// Helpers of the trace tests: temporary trace files, and a scenario's recording.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

namespace trace_test {

// A file in the temporary directory, removed when it goes out of scope.
class Temp_file {
  public:
    explicit Temp_file(std::string const& name)
        : path_{(std::filesystem::temp_directory_path() /
                 ("novasim_" + name + "_" + std::to_string(::getpid()) + ".trace"))
                    .string()}
    {
    }
    ~Temp_file() { std::remove(path_.c_str()); }
    Temp_file(Temp_file const&) = delete;
    Temp_file& operator=(Temp_file const&) = delete;
    std::string const& path() const { return path_; }

  private:
    std::string path_;
};

inline std::vector<std::uint8_t> file_bytes(std::string const& path)
{
    std::ifstream in{path, std::ios::binary};
    return {std::istreambuf_iterator<char>{in}, {}};
}

} // namespace trace_test
