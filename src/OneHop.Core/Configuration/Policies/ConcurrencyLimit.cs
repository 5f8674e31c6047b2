namespace OneHop.Core.Configuration.Policies;

/// <summary>
/// How many requests (TCP: connections) one endpoint of the backend carries at once from this replica, and what happens
/// to one that finds every endpoint full: it waits in the backend's queue, first come first served, for at most
/// <see cref="QueueTimeout"/>, while fewer than <see cref="QueueSize"/> wait; otherwise it is refused 503. HAProxy's
/// server <c>maxconn</c> with its backend queue, nginx's <c>max_conns</c>, Envoy's circuit breaker with a queue in front.
/// </summary>
internal sealed record ConcurrencyLimit
{
    /// <summary>At most this many at once per endpoint; 0 for no cap (the default).</summary>
    public int MaxPerEndpoint { get; init; }

    /// <summary>How many may wait for a slot; 0 refuses at once when every endpoint is full.</summary>
    public int QueueSize { get; init; } = 1000;

    /// <summary>How long one waits before it is refused (HAProxy's <c>timeout queue</c>).</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(5);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Enabled => MaxPerEndpoint > 0;
}
