using OneHop.Core.Routing;

namespace OneHop.Core.Health;

/// <summary>
/// What a data plane keeps of a backend across snapshots, by backend id: its retry budget (a new snapshot must not
/// hand out a fresh one) and, for a capped backend, its queue with the counts of requests in flight.
/// </summary>
internal sealed class BackendKeeps(TimeProvider time)
{
    private readonly Dictionary<string, RetryBudget> _budgets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BackendQueue> _queues = new(StringComparer.Ordinal);

    /// <summary>A new state for <paramref name="backend"/> with what is kept of it. Not thread-safe: the data plane's apply lock.</summary>
    public BackendState Build(Backend backend, EndpointRuntimeRegistry runtimes, string? zone, double? trafficShare)
    {
        if (!_budgets.TryGetValue(backend.Id, out var budget))
        {
            _budgets[backend.Id] = budget = new RetryBudget(time);
        }

        // UDP has no cap: a session is no request that ends, and a datagram waits for nobody.
        BackendQueue? queue = null;
        if (backend.Policy.MaxPerEndpoint > 0 && backend.Protocol != BackendProtocol.Udp && !_queues.TryGetValue(backend.Id, out queue))
        {
            _queues[backend.Id] = queue = new BackendQueue(time);
        }

        return new BackendState(backend, runtimes, zone, trafficShare, budget, queue);
    }

    /// <summary>
    /// After a swap: each queue serves its backend's state in force (one whose cap was lifted lets its waiters go), and
    /// the queues of backends that left are dropped, their waiters let go.
    /// </summary>
    public void Serve(IReadOnlyDictionary<string, BackendState> states)
    {
        foreach (var (id, queue) in _queues.ToList())
        {
            var state = states.GetValueOrDefault(id);
            queue.Serve(state);
            if (state is null)
            {
                _queues.Remove(id);
            }
        }
    }

    /// <summary>Drops the budgets of backends no longer in <paramref name="states"/>.</summary>
    public void Prune(IReadOnlyDictionary<string, BackendState> states)
    {
        foreach (var id in _budgets.Keys.Where(id => !states.ContainsKey(id)).ToList())
        {
            _budgets.Remove(id);
        }
    }
}
