using System.Collections.Immutable;
using System.Net;

namespace OneHop.Hosting;

/// <summary>
/// What became of the Gateway endpoints Kestrel was asked to bind, and so which snapshot version's ports all have an
/// outcome: listening, or failed with a reason (a port another process holds, or no word from Kestrel within
/// <see cref="Timeout"/>). Readiness waits for the first snapshot's outcomes, not for success: a port that cannot be
/// bound must not keep OneHop out of its load balancer forever, so it is reported instead.
/// </summary>
internal sealed class GatewayBindOutcomes(TimeProvider time)
{
    /// <summary>How long an endpoint may wait for Kestrel's bind before it counts as failed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();

    // Null while the bind is pending; else null for listening or the reason it is not.
    private ImmutableDictionary<IPEndPoint, Outcome?> _outcomes = ImmutableDictionary<IPEndPoint, Outcome?>.Empty;
    private long _version;
    private long _settled;
    private ITimer? _timer;

    /// <summary>Raised with the version whose endpoints all have an outcome (from the thread that gave the last one).</summary>
    public event Action<long>? Settled;

    /// <summary>The newest version whose endpoints all have an outcome.</summary>
    public long SettledVersion => Interlocked.Read(ref _settled);

    /// <summary>The endpoints still waiting for Kestrel, e.g. "127.0.0.1:80, 127.0.0.1:8080"; null when none.</summary>
    public string? Pending
    {
        get
        {
            var pending = _outcomes.Where(o => o.Value is null).Select(o => o.Key.ToString()).Order(StringComparer.Ordinal).ToList();
            return pending.Count == 0 ? null : string.Join(", ", pending);
        }
    }

    /// <summary>The endpoints that are not listening and why, e.g. "127.0.0.1:80: address in use"; null when none.</summary>
    public string? Failures
    {
        get
        {
            var failed = _outcomes.Where(o => o.Value is { Reason: not null }).Select(o => $"{o.Key}: {o.Value!.Reason}").Order(StringComparer.Ordinal).ToList();
            return failed.Count == 0 ? null : string.Join("; ", failed);
        }
    }

    /// <summary>
    /// Snapshot <paramref name="version"/> wants <paramref name="wanted"/>, of which Kestrel binds
    /// <paramref name="binding"/> afresh (new, or bound again with other protocols); the others keep their outcome.
    /// </summary>
    public void Expect(long version, IEnumerable<IPEndPoint> wanted, IReadOnlySet<IPEndPoint> binding)
    {
        lock (_lock)
        {
            _version = version;
            _outcomes = wanted.ToImmutableDictionary(e => e, e => binding.Contains(e) ? null : _outcomes.GetValueOrDefault(e));
            if (_outcomes.Values.Any(o => o is null))
            {
                _timer?.Dispose();
                _timer = time.CreateTimer(_ => Expire(), null, Timeout, System.Threading.Timeout.InfiniteTimeSpan);
            }
        }

        SettleIfDone();
    }

    /// <summary>Kestrel listens on <paramref name="endpoint"/>.</summary>
    public void Listening(IPEndPoint endpoint) => Record(endpoint, new Outcome(null));

    /// <summary>Kestrel could not bind <paramref name="endpoint"/>.</summary>
    public void Failed(IPEndPoint endpoint, string reason) => Record(endpoint, new Outcome(reason));

    private void Record(IPEndPoint endpoint, Outcome outcome)
    {
        lock (_lock)
        {
            if (!_outcomes.ContainsKey(endpoint))
            {
                // No longer wanted: a later snapshot dropped it while Kestrel was binding.
                return;
            }

            _outcomes = _outcomes.SetItem(endpoint, outcome);
        }

        SettleIfDone();
    }

    private void Expire()
    {
        lock (_lock)
        {
            var reason = $"Kestrel did not bind it within {Timeout.TotalSeconds:0}s (see its log)";
            _outcomes = _outcomes.ToImmutableDictionary(o => o.Key, o => (Outcome?)(o.Value ?? new Outcome(reason)));
        }

        SettleIfDone();
    }

    private void SettleIfDone()
    {
        long version;
        lock (_lock)
        {
            if (_outcomes.Values.Any(o => o is null) || _version <= _settled)
            {
                return;
            }

            version = _version;
            Interlocked.Exchange(ref _settled, version);
            _timer?.Dispose();
            _timer = null;
        }

        Settled?.Invoke(version);
    }

    private sealed record Outcome(string? Reason);
}
