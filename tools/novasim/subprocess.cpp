#include "subprocess.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <tuple>
#include <unistd.h>

namespace novasim {

namespace {

// Starts `argv` with its standard output and error on a pipe; returns the pid and the read end.
std::pair<pid_t, int> spawn(std::vector<std::string> const& argv)
{
    int pipe_ends[2];
    if (pipe(pipe_ends) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        dup2(pipe_ends[1], STDOUT_FILENO);
        dup2(pipe_ends[1], STDERR_FILENO);
        close(pipe_ends[0]);
        close(pipe_ends[1]);
        std::vector<char*> args;
        for (std::string const& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        std::fprintf(stderr, "novasim: error: cannot run '%s': %s\n", args[0],
                     std::strerror(errno));
        _exit(127);
    }
    close(pipe_ends[1]);
    return {pid, pipe_ends[0]};
}

Exit reap(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) return {true, WEXITSTATUS(status)};
    return {false, WIFSIGNALED(status) ? WTERMSIG(status) : 0};
}

} // namespace

Finished run_process(std::vector<std::string> const& argv, std::size_t limit)
{
    auto [pid, output] = spawn(argv);
    std::string text;
    char chunk[4096];
    for (ssize_t n; (n = read(output, chunk, sizeof chunk)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        if (text.size() < limit) text.append(chunk, static_cast<std::size_t>(n));
    }
    close(output);
    return {reap(pid), text};
}

Child::Child(std::vector<std::string> const& argv)
{
    std::tie(pid_, output_) = spawn(argv);
}

Child::~Child()
{
    if (pid_ > 0) {
        stop();
        wait();
    }
    if (output_ >= 0) close(output_);
}

bool Child::read_line(std::string& line, int timeout_ms)
{
    for (;;) {
        if (std::size_t end = buffer_.find('\n'); end != std::string::npos) {
            line = buffer_.substr(0, end);
            buffer_.erase(0, end + 1);
            return true;
        }
        if (eof_) return false;
        pollfd ready{output_, POLLIN, 0};
        if (poll(&ready, 1, timeout_ms) <= 0) return false;
        char chunk[4096];
        ssize_t n = read(output_, chunk, sizeof chunk);
        if (n <= 0) {
            eof_ = n == 0 || errno != EINTR;
            continue;
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

Exit Child::wait()
{
    std::string ignored;
    while (read_line(ignored, 100) || !eof_) {
    }
    Exit exit = reap(pid_);
    pid_ = -1;
    return exit;
}

void Child::stop()
{
    if (pid_ > 0) kill(pid_, SIGTERM);
}

} // namespace novasim
