using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Concurrency;

namespace OneHop.Core.Tests.Concurrency;

public sealed class AsyncSignalTests
{
    [Fact]
    public async Task Signals_before_a_wait_count_once()
    {
        var signal = new AsyncSignal();
        signal.Set();
        signal.Set();
        var time = new FakeTimeProvider();

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(1), time, TestContext.Current.CancellationToken));
        var second = signal.WaitAsync(TimeSpan.FromSeconds(1), time, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await second);
    }

    [Fact]
    public async Task A_signal_during_the_wait_ends_it_and_cancellation_throws()
    {
        var signal = new AsyncSignal();
        var time = new FakeTimeProvider();
        var waiting = signal.WaitAsync(TimeSpan.FromMinutes(1), time, TestContext.Current.CancellationToken);
        signal.Set();
        Assert.True(await waiting);

        using var cancel = new CancellationTokenSource();
        var cancelled = signal.WaitAsync(TimeSpan.FromMinutes(1), time, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
    }
}
