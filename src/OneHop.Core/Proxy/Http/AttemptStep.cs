namespace OneHop.Core.Proxy.Http;

/// <summary>What follows an attempt in <see cref="ProxyHandler"/>'s attempt loop.</summary>
internal enum AttemptStep
{
    /// <summary>Another attempt, now.</summary>
    Next,

    /// <summary>Another attempt, after the route's retry backoff (<see cref="AttemptLoop.Backoff"/>).</summary>
    BackOff,

    /// <summary>No other attempt: the request ends with this one's answer.</summary>
    Finish,
}
