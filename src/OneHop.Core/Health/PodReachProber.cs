using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Endpoints;

namespace OneHop.Core.Health;

/// <summary>
/// Measures, for <c>onehop.dev/reach: auto</c>, whether OneHop reaches pod IPs: per node (its pod subnet), a TCP connect
/// to the node's lowest ready pod of an auto Service (the translator names them, <see cref="PublishedSnapshot.ReachTargets"/>)
/// every <see cref="PodReachProberOptions.Interval"/>. The result is an input of the next translation, never a change
/// to the snapshot from here: the coordinator reads <see cref="Current"/> when this signals, so the decision stays in
/// the pure translator. A new node is probed at once; a known one changes side only after
/// <see cref="PodReachProberOptions.Threshold"/> probes agree, so one lost SYN does not move a Service to node ports.
/// </summary>
internal sealed partial class PodReachProber(IConnectProbe connector, TimeProvider time, ILogger<PodReachProber> logger, PodReachProberOptions? options = null)
    : ISnapshotConsumer, IPodReachabilitySource
{
    private readonly PodReachProberOptions _options = options ?? PodReachProberOptions.Default;
    private readonly AsyncSignal _targetsChanged = new();
    private readonly Dictionary<string, NodeProbe> _nodes = new(StringComparer.Ordinal);
    private ReachProbeTarget[] _targets = [];
    private volatile PodReachability _current = PodReachability.Empty;

    public PodReachability Current => _current;

    public void Apply(PublishedSnapshot published)
    {
        var targets = published.ReachTargets;
        if (!targets.AsSpan().SequenceEqual(Volatile.Read(ref _targets)))
        {
            Volatile.Write(ref _targets, [.. targets]);
            _targetsChanged.Set();
        }
    }

    public async Task RunAsync(Action changed, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var targets = Volatile.Read(ref _targets);
            var now = time.GetTimestamp();
            var due = targets.Where(t => !_nodes.TryGetValue(t.Node, out var known) || now >= known.Due).ToList();
            var results = await Task.WhenAll(due.Select(t => connector.ConnectAsync(t.Address, t.Port, _options.Timeout, cancellationToken))).ConfigureAwait(false);
            for (var i = 0; i < due.Count; i++)
            {
                Record(due[i], results[i], now);
            }

            foreach (var gone in _nodes.Keys.Except(targets.Select(t => t.Node), StringComparer.Ordinal).ToList())
            {
                _nodes.Remove(gone);
            }

            var next = new PodReachability(_nodes.Where(n => n.Value.Verdict is not null).ToImmutableSortedDictionary(n => n.Key, n => n.Value.Verdict!, StringComparer.Ordinal));
            if (next != _current)
            {
                _current = next;
                changed();
            }

            // Until the next node is due, or the translator names other pods; with nothing to probe, only the latter.
            if (_nodes.Count == 0)
            {
                await _targetsChanged.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (time.GetElapsedTime(time.GetTimestamp(), _nodes.Values.Min(n => n.Due)) is var wait && wait > TimeSpan.Zero)
            {
                await _targetsChanged.WaitAsync(wait, time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Yield();
            }
        }
    }

    private void Record(ReachProbeTarget target, ConnectProbeResult result, long now)
    {
        if (!_nodes.TryGetValue(target.Node, out var node))
        {
            node = new NodeProbe();
            _nodes[target.Node] = node;
        }

        node.Due = now + (long)(_options.Interval.TotalSeconds * time.TimestampFrequency);
        node.Streak = result.Reached == node.LastReached ? node.Streak + 1 : 1;
        node.LastReached = result.Reached;
        if (node.Verdict is { } verdict && (verdict.Reachable == result.Reached || node.Streak < _options.Threshold))
        {
            return;
        }

        // The detail is kept until the node changes side, so a new pod address alone does not rebuild routing.
        node.Verdict = new NodeReach(result.Reached, $"{target.Address}:{target.Port} {result.Detail}");
        if (result.Reached)
        {
            Log.Reachable(logger, target.Node, node.Verdict.Detail);
        }
        else
        {
            Log.Unreachable(logger, target.Node, node.Verdict.Detail);
        }
    }

    /// <summary>One node's probing: when next, the current run of agreeing results, and the verdict the translator sees.</summary>
    private sealed class NodeProbe
    {
        public long Due { get; set; }

        public bool LastReached { get; set; }

        public int Streak { get; set; }

        public NodeReach? Verdict { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(661, LogLevel.Information, "Reach: pods on node {Node} answer ({Detail}); Services in auto mode use their pod IPs")]
        public static partial void Reachable(ILogger logger, string node, string detail);

        [LoggerMessage(662, LogLevel.Warning, "Reach: pods on node {Node} are unreachable ({Detail}); Services in auto mode with pods there go through node ports")]
        public static partial void Unreachable(ILogger logger, string node, string detail);
    }
}
