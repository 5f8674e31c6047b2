using Microsoft.Extensions.Time.Testing;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// A fake clock that also tells when code under test starts waiting on it: advancing before a delay's timer exists
/// would leave that delay a whole period in the future, so a test first waits for the timers it means to fire.
/// </summary>
internal sealed class TimerWatchingTime(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TimeSpan, int> _created = [];
    private TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        TaskCompletionSource created;
        lock (_gate)
        {
            _created[dueTime] = _created.GetValueOrDefault(dueTime) + 1;
            created = _timerCreated;
            _timerCreated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        created.SetResult();
        return timer;
    }

    /// <summary>Completes once <paramref name="count"/> timers due after <paramref name="dueTime"/> have been created in all.</summary>
    public async Task WaitForTimersAsync(TimeSpan dueTime, int count)
    {
        var token = TestTimeouts.Token();
        while (true)
        {
            Task created;
            lock (_gate)
            {
                if (_created.GetValueOrDefault(dueTime) >= count)
                {
                    return;
                }

                created = _timerCreated.Task;
            }

            await created.WaitAsync(token);
        }
    }
}
