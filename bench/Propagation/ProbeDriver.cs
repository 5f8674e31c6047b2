using System.Collections.Concurrent;
using System.Diagnostics;

namespace Propagation;

/// <summary>
/// The measured changes: at <see cref="BenchOptions.MeasuredRate"/>, the next idle probe Service's one ready endpoint
/// is moved to a real pod it does not have, and a poller asks OneHop for that Service every
/// <see cref="BenchOptions.PollInterval"/> until the new pod answers. With <c>--measure routes</c> the next idle
/// probe HTTPRoute is pointed at another probe Service instead (each keeps its own pod), and the poller asks the
/// Gateway's listener (<paramref name="gateway"/>) for the route's host. A probe is idle again once its change was
/// seen, so changes to one probe never overlap; a tick with no idle probe is skipped and counted.
/// </summary>
internal sealed class ProbeDriver(BenchCluster cluster, BenchOptions options, HttpClient client, Uri onehop, Uri? gateway)
{
    private readonly ConcurrentQueue<Sample> _samples = new();
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private readonly int[] _busy = new int[cluster.ProbeCount];
    private readonly long _origin = Stopwatch.GetTimestamp();
    private volatile bool _recording;
    private int _skipped;
    private long _changes;

    /// <summary>Whether changes made from now on count in the figures (false during the warm-up).</summary>
    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    public IReadOnlyCollection<Sample> Samples => _samples;

    public int Skipped => Volatile.Read(ref _skipped);

    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Makes changes until <paramref name="stop"/>, then waits for the pollers of the changes already made.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var random = new Random(7);
        var next = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / options.MeasuredRate));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var probe = NextIdle(ref next);
                if (probe < 0)
                {
                    if (_recording)
                    {
                        Interlocked.Increment(ref _skipped);
                    }

                    continue;
                }

                var (host, pod) = gateway is null ? MoveEndpoint(probe, random) : MoveRoute(probe, random);
                var written = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref _changes);
                Track(MeasureAsync(probe, host, pod, written, _recording));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await Task.WhenAll(_inFlight.Keys);
    }

    /// <summary>The host a probe is asked by, and the pod that answers it before any change.</summary>
    public (string Host, string Pod) Probe(int probe) => gateway is null
        ? (KubeObjects.Host(cluster.ProbeService(probe)), cluster.ProbePod(probe))
        : (KubeObjects.RouteHost(probe), cluster.ProbePod(cluster.RouteTarget(probe)));

    /// <summary>Asks OneHop for a host (on the Gateway's listener when routes are measured); the pod that answered, or null on an error.</summary>
    public async Task<string?> AskAsync(string host)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, gateway ?? onehop);
            request.Headers.Host = host;
            using var response = await client.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return response.IsSuccessStatusCode && response.Headers.TryGetValues(PodServer.PodHeader, out var pods) ? pods.FirstOrDefault() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The probe Service's ready endpoint moves to a random other pod.</summary>
    private (string Host, string Pod) MoveEndpoint(int probe, Random random)
    {
        var current = cluster.ProbePod(probe);
        string pod;
        do
        {
            pod = BenchCluster.PodAddress(options, random.Next(options.Pods));
        }
        while (pod == current);

        cluster.PointProbeAt(probe, pod);
        return (KubeObjects.Host(cluster.ProbeService(probe)), pod);
    }

    /// <summary>The probe HTTPRoute moves to a random other probe Service, whose pod is another.</summary>
    private (string Host, string Pod) MoveRoute(int probe, Random random)
    {
        var current = cluster.RouteTarget(probe);
        int target;
        do
        {
            target = random.Next(cluster.ProbeCount);
        }
        while (target == current);

        cluster.PointRouteAt(probe, target);
        return (KubeObjects.RouteHost(probe), cluster.ProbePod(target));
    }

    private int NextIdle(ref int next)
    {
        for (var i = 0; i < _busy.Length; i++)
        {
            var probe = (next + i) % _busy.Length;
            if (Interlocked.CompareExchange(ref _busy[probe], 1, 0) == 0)
            {
                next = probe + 1;
                return probe;
            }
        }

        return -1;
    }

    private void Track(Task task)
    {
        _inFlight[task] = true;
        _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task MeasureAsync(int probe, string host, string pod, long written, bool measured)
    {
        var timeout = (long)(options.SampleTimeout.TotalSeconds * Stopwatch.Frequency);
        long? lastOldSent = null;
        var (polls, errors, slowest) = (0, 0, 0L);
        while (true)
        {
            var sent = Stopwatch.GetTimestamp();
            var answer = await AskAsync(host);
            var received = Stopwatch.GetTimestamp();
            polls++;
            slowest = Math.Max(slowest, received - sent);
            if (answer == pod || received - written > timeout)
            {
                var lost = answer != pod;
                _samples.Enqueue(new Sample(measured, Ms(written - _origin) / 1000, Ms(received - written), lastOldSent is { } old ? Ms(old - written) : 0, polls, errors, lost, Ms(slowest)));
                Volatile.Write(ref _busy[probe], 0);
                return;
            }

            if (answer is null)
            {
                errors++;
            }
            else
            {
                lastOldSent = sent;
            }

            await Task.Delay(options.PollInterval);
        }
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
