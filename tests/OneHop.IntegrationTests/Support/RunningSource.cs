using OneHop.Core.Sources;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// An object source running in the background, and waits on its snapshot woken by the source's own change signal
/// rather than by polling, so tests that drive time with a fake clock stay deterministic.
/// </summary>
internal sealed class RunningSource : IAsyncDisposable
{
    private readonly IObjectSource _source;
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly Task _run;
    private TaskCompletionSource _changed = NewSignal();

    public RunningSource(IObjectSource source)
    {
        _source = source;
        _run = Task.Run(() => source.RunAsync(Changed, _stop.Token));
    }

    public SourceSnapshot Current => _source.Current;

    /// <summary>The snapshot once <paramref name="condition"/> holds for it; fails the test after <see cref="TestTimeouts.Default"/>.</summary>
    public async Task<SourceSnapshot> UntilAsync(Func<SourceSnapshot, bool> condition, string what)
    {
        var token = TestTimeouts.Token();
        while (true)
        {
            // The signal is taken before the snapshot is read, so a change between the two still wakes the wait.
            var changed = Volatile.Read(ref _changed).Task;
            var current = _source.Current;
            if (condition(current))
            {
                return current;
            }

            Assert.False(_run.IsCompleted, $"the source stopped ({_run.Exception?.InnerException?.Message}) while waiting for: {what}");
            try
            {
                await changed.WaitAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                Assert.Fail($"timed out after {TestTimeouts.Default.TotalSeconds}s waiting for: {what}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TestTimeouts.Default);
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting to look again for an absent kind: a stop, not a failure (and not to hide the test's own).
        }
        _stop.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Changed() => Interlocked.Exchange(ref _changed, NewSignal()).SetResult();
}
