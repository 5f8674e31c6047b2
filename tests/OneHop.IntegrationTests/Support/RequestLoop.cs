using System.Collections.Concurrent;

namespace OneHop.IntegrationTests.Support;

/// <summary>Concurrent GET loops through OneHop, recording every failure and which pods answered.</summary>
internal sealed class RequestLoop : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<string, int> _pods = new();
    private readonly Task[] _loops;
    private int _ok;
    private volatile string? _lastPod;

    public RequestLoop(OneHopInstance onehop, int concurrency, string path = "/", string? host = null)
    {
        _loops = [.. Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => RunAsync(onehop, path, host)))];
    }

    public string? LastPod => _lastPod;

    public int Ok => Volatile.Read(ref _ok);

    public async Task<(int Ok, IReadOnlyCollection<string> Failures, IReadOnlyCollection<string> Pods)> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        return (_ok, [.. _failures], [.. _pods.Keys]);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task RunAsync(OneHopInstance onehop, string path, string? host)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var (status, pod, body) = await onehop.GetAsync(path, _stop.Token, host);
                if (status != 200)
                {
                    _failures.Enqueue($"{status}: {body.Trim()}");
                    continue;
                }

                Interlocked.Increment(ref _ok);
                _lastPod = pod;
                _pods.AddOrUpdate(pod ?? "?", 1, (_, n) => n + 1);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _failures.Enqueue(ex.Message);
            }
        }
    }
}
