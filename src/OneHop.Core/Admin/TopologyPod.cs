namespace OneHop.Core.Admin;

/// <summary>
/// One endpoint of a Service and what this replica knows of it now. <paramref name="State"/> is the one word that
/// matters most (ejected, probe-failing, terminating, slow-start, ready); the flags give the rest.
/// </summary>
/// <param name="Id"><c>address:port</c>.</param>
/// <param name="Name">The pod's name, or the address for endpoints without one.</param>
/// <param name="InUse">Among the endpoints this replica sends new requests to now (health, terminating fallback, zone).</param>
/// <param name="Preferred">In this replica's zone, so zone-aware balancing keeps traffic on it while it can.</param>
/// <param name="RequestsPerSecond">Attempts per second over the window, retries included.</param>
/// <param name="Errors">Attempts the pod failed (connect failures, resets, timeouts, 5xx) over the window.</param>
/// <param name="P50Ms">Median attempt latency over the window, in milliseconds; null with no attempt.</param>
internal sealed record TopologyPod(
    string Id,
    string Name,
    string State,
    bool Ready,
    bool Serving,
    bool Terminating,
    bool Ejected,
    bool SlowStart,
    bool ProbeFailing,
    bool InUse,
    bool Preferred,
    int InFlight,
    double RequestsPerSecond,
    long Requests,
    long Errors,
    double? P50Ms,
    double? P99Ms);
