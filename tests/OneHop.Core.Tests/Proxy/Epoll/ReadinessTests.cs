using OneHop.Core.Proxy.Epoll;

namespace OneHop.Core.Tests.Proxy.Epoll;

public sealed class ReadinessTests
{
    [Fact]
    public void An_edge_that_came_after_the_noted_count_makes_the_wait_fail_so_the_caller_tries_again()
    {
        var readiness = new Readiness();
        var seen = readiness.Edges;
        readiness.Signal();
        var waiter = new Waiter();

        Assert.False(readiness.TryWait(seen, waiter, CancellationToken.None));
        readiness.Signal();
        Assert.Equal(0, waiter.Edges);
    }

    [Fact]
    public void A_waiter_is_told_of_the_next_edge_once()
    {
        var readiness = new Readiness();
        var waiter = new Waiter();

        Assert.True(readiness.TryWait(readiness.Edges, waiter, CancellationToken.None));
        Assert.Equal(0, waiter.Edges);
        readiness.Signal();
        readiness.Signal();
        Assert.Equal(1, waiter.Edges);
    }

    [Fact]
    public void A_cancelled_wait_is_told_once_and_a_later_edge_finds_no_waiter()
    {
        var readiness = new Readiness();
        var waiter = new Waiter();
        using var cancel = new CancellationTokenSource();

        Assert.True(readiness.TryWait(readiness.Edges, waiter, cancel.Token));
        cancel.Cancel();
        readiness.Signal();

        Assert.Equal(1, waiter.Cancellations);
        Assert.Equal(0, waiter.Edges);
    }

    [Fact]
    public void A_token_already_cancelled_refuses_the_wait()
    {
        var readiness = new Readiness();
        var waiter = new Waiter();

        Assert.False(readiness.TryWait(readiness.Edges, waiter, new CancellationToken(canceled: true)));
        Assert.Equal(0, waiter.Cancellations);
    }

    [Fact]
    public void The_registration_of_a_wait_that_ended_by_an_edge_never_cancels_the_next_wait()
    {
        var readiness = new Readiness();
        var first = new Waiter();
        var second = new Waiter();
        using var old = new CancellationTokenSource();

        Assert.True(readiness.TryWait(readiness.Edges, first, old.Token));
        readiness.Signal();
        Assert.True(readiness.TryWait(readiness.Edges, second, CancellationToken.None));
        old.Cancel();

        Assert.Equal(0, second.Cancellations);
        readiness.Signal();
        Assert.Equal(1, second.Edges);
    }

    private sealed class Waiter : IReadinessWaiter
    {
        public int Edges { get; private set; }

        public int Cancellations { get; private set; }

        public void OnEdge() => Edges++;

        public void OnCanceled(CancellationToken token) => Cancellations++;
    }
}
