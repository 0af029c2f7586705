#include "kvm/fd.hpp"

#include <cerrno>
#include <cstring>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace kvm {

Kvm_error::Kvm_error(std::string const& what, int err)
    : std::runtime_error{what + ": " + std::strerror(err)}, error{err}
{
}

Fd::~Fd()
{
    if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept
{
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.release();
    }
    return *this;
}

int Fd::release()
{
    int fd = fd_;
    fd_ = -1;
    return fd;
}

namespace {
template <typename Arg>
int do_ioctl(int fd, unsigned long request, Arg arg, char const* what, std::uint64_t* calls)
{
    if (calls != nullptr) ++*calls;
    int r;
    do {
        r = ::ioctl(fd, request, arg);
    } while (r < 0 && errno == EINTR);
    if (r < 0) throw Kvm_error{what, errno};
    return r;
}
} // namespace

bool run_vcpu_fd(int fd, std::uint64_t* calls)
{
    if (calls != nullptr) ++*calls;
    if (::ioctl(fd, KVM_RUN, 0) == 0) return true;
    if (errno == EINTR) return false;
    throw Kvm_error{"KVM_RUN", errno};
}

int checked_ioctl(int fd, unsigned long request, void* arg, char const* what, std::uint64_t* calls)
{
    return do_ioctl(fd, request, arg, what, calls);
}

int checked_ioctl(int fd, unsigned long request, unsigned long arg, char const* what,
                  std::uint64_t* calls)
{
    return do_ioctl(fd, request, arg, what, calls);
}

} // namespace kvm
