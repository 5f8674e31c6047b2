using OneHop.Core.Routing;

namespace OneHop.Core.Health;

/// <summary>
/// One endpoint of one backend in one snapshot: what the snapshot says of it (address, state, pod, zone, weight,
/// hints) next to its runtime state (in flight, latency, health), which is shared by every backend that routes to the
/// pod and kept across snapshots. Built once per snapshot, so a request reads both with no lookup.
/// </summary>
internal sealed class Destination(BackendEndpoint endpoint, EndpointRuntime runtime, string scheme = "http")
{
    private object? _forwarderState;

    public BackendEndpoint Endpoint { get; } = endpoint;

    public EndpointRuntime Runtime { get; } = runtime;

    /// <summary><c>address:port</c>.</summary>
    public string Id => Runtime.Id;

    /// <summary>The configured weight, at least 1 (a weight of 0 would divide by zero and has no defined meaning here).</summary>
    public int Weight { get; } = Math.Max(1, endpoint.Weight);

    /// <summary>The pod name when known, else the address: what metrics and logs call the endpoint.</summary>
    public string Name { get; } = endpoint.Pod ?? runtime.Id;

    /// <summary>Where requests go: <c>scheme://address:port</c>, the scheme from the backend's protocol.</summary>
    public string Prefix { get; } = $"{scheme}://{runtime.Id}";

    /// <summary>
    /// What a forwarder keeps for this destination (its connection pool), created on first use: a request then reaches
    /// it with no lookup. Two racing requests may both create; one wins.
    /// </summary>
    public T ForwarderState<T, TArg>(TArg arg, Func<Destination, TArg, T> create)
        where T : class
    {
        if (Volatile.Read(ref _forwarderState) is T state)
        {
            return state;
        }

        var created = create(this, arg);
        return Interlocked.CompareExchange(ref _forwarderState, created, null) as T ?? created;
    }

    public override string ToString() => Name;
}
