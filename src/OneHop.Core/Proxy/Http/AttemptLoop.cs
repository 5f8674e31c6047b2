using System.Diagnostics;
using OneHop.Core.Balancing;
using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Where a request's attempts stand: what <see cref="ProxyHandler"/>'s attempt loop keeps between attempts. It lives in
/// the request's <see cref="ProxyRequest"/>, reused across a connection's requests, rather than in the loop's async
/// state machine: that state machine is boxed once per request (it is the Task Kestrel waits on), so each field kept
/// here is 8 bytes less per request (bench/alloc.sh).
/// </summary>
internal struct AttemptLoop
{
    public HttpRouting Routing;
    public Route Route;
    public BackendState Backend;

    /// <summary>The backend's destinations when the request came; a route's retry starts over on them once all were tried.</summary>
    public DestinationSet Available;

    /// <summary>What the next attempt picks from: <see cref="Available"/> without those tried.</summary>
    public DestinationSet Candidates;

    /// <summary>Destinations already tried; kept (cleared) with the request for the connection's next retry.</summary>
    public List<Destination>? Tried;

    public IEndpointPicker Picker;
    public IAttemptForwarder Forwarder;

    /// <summary>The request's deadline (the client going away, or the route's request timeout).</summary>
    public CancellationToken CancellationToken;

    public int MaxAttempts;

    /// <summary>The request may be sent again: it has no body, and it is idempotent or the route's retry says so.</summary>
    public bool Replayable;

    /// <summary>The current attempt's number, from 1.</summary>
    public int Attempt;

    public Destination Destination;

    /// <summary>The capped backend's queue the current attempt holds a slot of; null when uncapped.</summary>
    public BackendQueue? Slot;
    public Activity? Span;
    public long Started;

    /// <summary>When the first attempt began (a timestamp): the start of proxy-next-upstream-timeout's window.</summary>
    public long FirstStarted;

    /// <summary>The route's per-attempt deadline (<c>timeouts.backendRequest</c>) for the current attempt.</summary>
    public CancellationTokenSource? AttemptDeadline;

    /// <summary>The attempt just ended because its own deadline passed.</summary>
    public bool AttemptTimedOut;

    /// <summary>The pod's 502/503 of the attempt just ended was held back for a retry.</summary>
    public bool HeldBack;

    /// <summary>How long the route's retry waits before the next attempt.</summary>
    public TimeSpan Backoff;
}
