// Real-time runs (label kvm): simulated time follows the host's clock, and host input reaches a
// guest's COM1 through the Boost.Asio console.
#include "require_kvm.hpp"
#include "scenarios/runner.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace {

scenarios::Scenario realtime(char const* image)
{
    return scenarios::parse_scenario(std::string{"[machine]\ntime = \"real-time\"\n[[vm]]\nram = "
                                                 "\"16M\"\nimage = "} +
                                         image + "\n[limits]\ntimeout_s = 20\n",
                                     "realtime.toml");
}

TEST(Realtime, HostInputReachesTheGuestsSerialPort)
{
    NOVASIM_REQUIRE_KVM();
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    std::string input = "hello\n";
    ASSERT_EQ(::write(pipe_fds[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
    std::ostringstream console;
    scenarios::Run_report r = scenarios::run_scenario(
        realtime("{ kind = \"flat\", guest = \"uart_echo16\" }"), {&console, pipe_fds[0]});
    ::close(pipe_fds[0]), ::close(pipe_fds[1]);
    ASSERT_EQ(r.vms.size(), 1u);
    EXPECT_EQ(r.vms[0].serial, input); // echoed
    EXPECT_EQ(r.exit_code, (5 << 1) | 1) << r.stop;
}

// Input that comes 300 ms into the run: the guest polls all that time, and the simulated
// clock, which a deterministic run would not tie to the host, has moved with the host's.
TEST(Realtime, SimulatedTimeFollowsTheHostsClock)
{
    NOVASIM_REQUIRE_KVM();
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    std::thread writer{[fd = pipe_fds[1]] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        EXPECT_EQ(::write(fd, "x\n", 2), 2);
    }};
    std::ostringstream console;
    scenarios::Run_report r = scenarios::run_scenario(
        realtime("{ kind = \"flat\", guest = \"uart_echo16\" }"), {&console, pipe_fds[0]});
    writer.join();
    ::close(pipe_fds[0]), ::close(pipe_fds[1]);
    EXPECT_EQ(r.exit_code, (1 << 1) | 1) << r.stop;
    double simulated = static_cast<double>(r.simulated_ns) / 1e9;
    EXPECT_GE(simulated, 0.25);
    EXPECT_LE(simulated, r.seconds * 1.2 + 0.01);
}

} // namespace
