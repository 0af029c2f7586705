#include "kvm/tick.hpp"

#include "kvm/fd.hpp"
#include "kvm/kvm_abi.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <linux/kvm.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace kvm {

namespace {
// Nothing to do: the signal's only job is to make KVM_RUN return.
void on_tick(int)
{
}
} // namespace

int Tick::signal_number()
{
    return SIGRTMIN + 3;
}

Tick::Tick(std::uint32_t period_us) : period_us_{period_us}
{
    struct sigaction action {};
    action.sa_handler = on_tick;
    sigemptyset(&action.sa_mask);
    ::sigaction(signal_number(), &action, nullptr);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, signal_number());
    ::pthread_sigmask(SIG_BLOCK, &block, nullptr);
    sigevent event{};
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = signal_number();
    event._sigev_un._tid = static_cast<pid_t>(::syscall(SYS_gettid));
    if (::timer_create(CLOCK_MONOTONIC, &event, &timer_) != 0)
        throw Kvm_error{"timer_create for the guest tick", errno};
    long ns = static_cast<long>(period_us) * 1000;
    itimerspec spec{{ns / 1'000'000'000, ns % 1'000'000'000},
                    {ns / 1'000'000'000, ns % 1'000'000'000}};
    ::timer_settime(timer_, 0, &spec, nullptr);
}

void Tick::take_pending()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signal_number());
    timespec zero{0, 0};
    while (::sigtimedwait(&set, nullptr, &zero) > 0) {
    }
}

Tick::~Tick()
{
    ::timer_delete(timer_);
}

// KVM_SET_SIGNAL_MASK takes the kernel's sigset (8 bytes on x86-64): the thread's mask minus
// the tick's signal.
void Tick::allow_in(int vcpu_fd) const
{
    sigset_t mask;
    ::pthread_sigmask(SIG_SETMASK, nullptr, &mask);
    sigdelset(&mask, signal_number());
    std::uint8_t request[4 + 8];
    std::uint32_t len = 8;
    std::memcpy(request, &len, 4);
    std::memcpy(request + 4, &mask, 8);
    checked_ioctl(vcpu_fd, abi::set_signal_mask, request, "KVM_SET_SIGNAL_MASK");
}

} // namespace kvm
