// Child processes for `novasim fuzz`: a libFuzzer binary whose status lines are read as they
// come, and one-off runs of a program file (to see whether a finding still crashes while it is
// being minimised). Standard output and standard error come back together.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace novasim {

struct Exit {
    bool exited{false}; // by exit(); otherwise by a signal
    int code{0};        // exit code or signal number
    bool crashed() const { return !exited || code != 0; }
};

struct Finished {
    Exit exit;
    std::string output;
};

// Runs `argv` to its end; the output is cut after `limit` bytes.
Finished run_process(std::vector<std::string> const& argv, std::size_t limit = 1 << 16);

// A child whose output is read a line at a time.
class Child {
  public:
    explicit Child(std::vector<std::string> const& argv);
    ~Child();
    Child(Child const&) = delete;
    Child& operator=(Child const&) = delete;

    // The next complete line, waiting at most `timeout_ms`; false when none came (or the
    // output ended: see finished()).
    bool read_line(std::string& line, int timeout_ms);
    bool finished() const { return eof_; }
    Exit wait();
    void stop(); // SIGTERM, for a campaign that is over

  private:
    pid_t pid_{-1};
    int output_{-1};
    std::string buffer_;
    bool eof_{false};
};

} // namespace novasim
