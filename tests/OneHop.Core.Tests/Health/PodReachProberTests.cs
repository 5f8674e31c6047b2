using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.State;

namespace OneHop.Core.Tests.Health;

/// <summary>
/// The prober behind <c>onehop.dev/reach: auto</c>, on a fake clock with a scripted connect: the first probe of a node
/// decides, later changes need two probes in a row, nodes the translator stops naming are forgotten, and every
/// change is signalled so the coordinator translates again.
/// </summary>
public sealed class PodReachProberTests : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly WatchedTime _time = new();
    private readonly ScriptedConnect _connect = new();
    private readonly ConcurrentQueue<string> _changes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly PodReachProber _prober;
    private Task? _running;

    public PodReachProberTests() =>
        _prober = new PodReachProber(_connect, _time, NullLogger<PodReachProber>.Instance, new PodReachProberOptions(Interval, TimeSpan.FromSeconds(2), 2));

    [Fact]
    public async Task The_first_probe_decides_and_a_node_changes_side_only_after_two_probes_agree()
    {
        _connect.Script("10.244.0.5", true, false, true, false, false, true, true);
        _prober.Apply(Published(new ReachProbeTarget("node-a", "10.244.0.5", 8080)));
        Start();

        for (var round = 2; round <= 7; round++)
        {
            await _time.TimersCreated(round - 1);
            _time.Advance(Interval);
        }

        await _time.TimersCreated(7);
        Assert.Equal(7, _connect.Calls);
        Assert.Equal(["after 1 probes: node-a reachable", "after 5 probes: node-a unreachable", "after 7 probes: node-a reachable"], _changes);
        Assert.Equal(new NodeReach(true, "10.244.0.5:8080 connected"), _prober.Current.Nodes["node-a"]);
    }

    [Fact]
    public async Task No_probe_is_sent_before_the_interval_has_passed()
    {
        _connect.Script("10.244.0.5", true, true);
        _prober.Apply(Published(new ReachProbeTarget("node-a", "10.244.0.5", 8080)));
        Start();
        await _time.TimersCreated(1);

        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _connect.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await _time.TimersCreated(2);
        Assert.Equal(2, _connect.Calls);
    }

    [Fact]
    public async Task A_new_node_is_probed_at_once_and_a_node_no_longer_named_is_forgotten()
    {
        _connect.Script("10.244.0.5", true, true);
        _connect.Script("10.244.1.7", false);
        _prober.Apply(Published(new ReachProbeTarget("node-a", "10.244.0.5", 8080)));
        Start();
        await _time.TimersCreated(1);

        _prober.Apply(Published(new ReachProbeTarget("node-a", "10.244.0.5", 8080), new ReachProbeTarget("node-b", "10.244.1.7", 8080)));
        await _time.TimersCreated(2);
        Assert.Equal(2, _connect.Calls);
        Assert.Equal(new NodeReach(false, "10.244.1.7:8080 TimedOut"), _prober.Current.Nodes["node-b"]);

        _prober.Apply(Published(new ReachProbeTarget("node-a", "10.244.0.5", 8080)));
        await _time.TimersCreated(3);
        Assert.Equal(["node-a"], _prober.Current.Nodes.Keys);
        Assert.Equal(["after 1 probes: node-a reachable", "after 2 probes: node-a reachable, node-b unreachable", "after 2 probes: node-a reachable"], _changes);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _running);
        }

        _stop.Dispose();
    }

    private void Start() => _running = _prober.RunAsync(
        () => _changes.Enqueue($"after {_connect.Calls} probes: {string.Join(", ", _prober.Current.Nodes.Select(n => $"{n.Key} {(n.Value.Reachable ? "reachable" : "unreachable")}"))}"),
        _stop.Token);

    private static PublishedSnapshot Published(params ReachProbeTarget[] targets) =>
        new(1, RoutingSnapshot.Empty, OneHopConfig.Default, ClusterState.Empty, []) { ReachTargets = [.. targets] };

    /// <summary>Answers each address from its script, in order; TimedOut is what an unreachable pod subnet gives.</summary>
    private sealed class ScriptedConnect : IConnectProbe
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<bool>> _scripts = new();
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public void Script(string address, params bool[] reached) => _scripts[address] = new ConcurrentQueue<bool>(reached);

        public Task<ConnectProbeResult> ConnectAsync(string address, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Assert.True(_scripts[address].TryDequeue(out var reached), $"a probe of {address} beyond its script");
            return Task.FromResult(reached ? new ConnectProbeResult(true, "connected") : new ConnectProbeResult(false, "TimedOut"));
        }
    }

    /// <summary>A fake clock that tells when the prober starts waiting: advancing before its timer exists would be lost.</summary>
    private sealed class WatchedTime : FakeTimeProvider
    {
        private readonly SemaphoreSlim _created = new(0);
        private int _seen;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _created.Release();
            return timer;
        }

        /// <summary>Waits (at most 10 s of real time) until <paramref name="count"/> timers were created in all.</summary>
        public async Task TimersCreated(int count)
        {
            while (_seen < count)
            {
                Assert.True(await _created.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken), $"timer {_seen + 1} was never created");
                _seen++;
            }
        }
    }
}
