// File descriptors of /dev/kvm, a VM and a vCPU, and the ioctls on them. Every ioctl goes through
// one function that counts it (tests and benchmarks count KVM calls per exit) and turns a failure
// into a Kvm_error that names the call and the reason.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace kvm {

struct Kvm_error : std::runtime_error {
    Kvm_error(std::string const& what, int error);
    int error; // errno
};

class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : fd_{fd} {}
    ~Fd();
    Fd(Fd&& other) noexcept : fd_{other.release()} {}
    Fd& operator=(Fd&& other) noexcept;
    Fd(Fd const&) = delete;
    Fd& operator=(Fd const&) = delete;

    int get() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    int release();

  private:
    int fd_{-1};
};

// ioctl(fd, request, arg); throws Kvm_error("what: strerror") on failure. `calls` counts.
int checked_ioctl(int fd, unsigned long request, void* arg, char const* what,
                  std::uint64_t* calls = nullptr);
// The same for requests that take an integer argument.
int checked_ioctl(int fd, unsigned long request, unsigned long arg, char const* what,
                  std::uint64_t* calls = nullptr);

// KVM_RUN: true when the guest exited, false when a signal (the tick) or immediate_exit ended
// the run first; throws Kvm_error on a failure.
bool run_vcpu_fd(int fd, std::uint64_t* calls = nullptr);

} // namespace kvm
