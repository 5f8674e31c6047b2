using System.Threading.Channels;
using k8s;

namespace KubeApiTestServer.Tests.Support;

/// <summary>
/// Runs a KubernetesClient watch enumerator in the background and hands its events, errors passed to
/// <c>onError</c>, and its ending (normal or thrown) to the test, each with a bounded wait.
/// </summary>
internal sealed class WatchCollector<T> : IAsyncDisposable
{
    private readonly Channel<(WatchEventType Type, T Object)> _events = Channel.CreateUnbounded<(WatchEventType, T)>();
    private readonly Channel<Exception> _errors = Channel.CreateUnbounded<Exception>();
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly Task _pump;

    public WatchCollector(Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> open)
    {
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in open(e => _errors.Writer.TryWrite(e), _stop.Token))
                {
                    _events.Writer.TryWrite(item);
                }
            }
            finally
            {
                _events.Writer.TryComplete();
            }
        });
    }

    /// <summary>Completes when the enumerator ends; faults with what it threw.</summary>
    public Task Completion => _pump;

    public async Task<(WatchEventType Type, T Object)> NextAsync(TimeSpan? timeout = null)
    {
        var token = TestTimeouts.Token(timeout);
        return await _events.Reader.ReadAsync(token);
    }

    public async Task<List<(WatchEventType Type, T Object)>> TakeAsync(int count)
    {
        var result = new List<(WatchEventType, T)>();
        for (var i = 0; i < count; i++)
        {
            result.Add(await NextAsync());
        }

        return result;
    }

    public async Task<Exception> NextErrorAsync() => await _errors.Reader.ReadAsync(TestTimeouts.Token());

    /// <summary>Waits for the enumerator to end and returns the events it still yielded.</summary>
    public async Task<List<(WatchEventType Type, T Object)>> RemainingAsync()
    {
        await _pump.WaitAsync(TestTimeouts.Token());
        var rest = new List<(WatchEventType, T)>();
        while (_events.Reader.TryRead(out var item))
        {
            rest.Add(item);
        }

        return rest;
    }

    public bool HasPendingEvent => _events.Reader.TryPeek(out _);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _pump.WaitAsync(TestTimeouts.Default);
        }
        catch (Exception)
        {
            // The test already asserted on how the watch ended, or did not care.
        }

        _stop.Dispose();
    }
}
