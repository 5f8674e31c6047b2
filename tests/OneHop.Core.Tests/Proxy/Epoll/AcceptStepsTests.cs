using OneHop.Core.Proxy.Epoll;

namespace OneHop.Core.Tests.Proxy.Epoll;

public sealed class AcceptStepsTests
{
    [Theory]
    [InlineData(11, "WaitForEdge")] // EAGAIN
    [InlineData(4, "Retry")] // EINTR
    [InlineData(103, "Retry")] // ECONNABORTED
    [InlineData(9, "Stop")] // EBADF: closed by unbind
    [InlineData(22, "Stop")] // EINVAL
    [InlineData(88, "Stop")] // ENOTSOCK
    [InlineData(24, "Pause")] // EMFILE
    [InlineData(23, "Pause")] // ENFILE
    [InlineData(105, "Pause")] // ENOBUFS
    [InlineData(12, "Pause")] // ENOMEM
    [InlineData(71, "Pause")] // EPROTO
    [InlineData(1, "Pause")] // EPERM (a firewall rule)
    [InlineData(100, "Pause")] // ENETDOWN
    [InlineData(113, "Pause")] // EHOSTUNREACH
    public void Only_a_closed_socket_stops_a_listener(int errno, string step) =>
        Assert.Equal(step, AcceptSteps.StepAfter(errno).ToString());
}
