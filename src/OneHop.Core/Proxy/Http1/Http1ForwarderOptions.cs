using OneHop.Core.Proxy.Epoll;

namespace OneHop.Core.Proxy.Http1;

/// <summary>Timeouts and limits of <see cref="Http1Forwarder"/>; the defaults are OneHop's <c>defaults</c> section's.</summary>
internal sealed record Http1ForwarderOptions
{
    /// <summary>Connecting (TCP and TLS handshake) taking longer is <c>ConnectTimeout</c>: a dead pod must fail fast.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the endpoint may stay silent before its response head is complete (<c>Timeout</c>); the clock restarts
    /// whenever a piece of the request body goes out, so a long upload is not cut while it moves.
    /// </summary>
    public TimeSpan ResponseHeadersTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long a response body or an upgraded connection may move no byte before it is cut (<c>Stalled</c>).</summary>
    public TimeSpan ActivityTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>An idle pooled connection older than this is closed, not reused.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A connection idle for longer than this is checked for a close from the server before it is reused (one
    /// non-blocking poll); a connection reused at once skips the system call.
    /// </summary>
    public TimeSpan StaleCheckAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// At most this many idle connections are kept per endpoint; more are closed when returned. Large because a pool
    /// smaller than the concurrency it serves churns: under 64-connection wrk load a cap of 128 still let bursts
    /// return more than it kept, and every pool miss then opened a new socket (a connect, and a TLS handshake for
    /// https) per request. nginx's own bench pool is 4,096. Idle connections cost a socket and a small object each
    /// (their buffers are rented only while a read is in flight), and the pool's array grows only as they come back.
    /// </summary>
    public int MaxIdleConnectionsPerEndpoint { get; init; } = 1024;

    /// <summary>How long a request with <c>Expect: 100-continue</c> waits for the endpoint's <c>100</c> before sending its body anyway.</summary>
    public TimeSpan ExpectContinueTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest response head (status line and header fields), and the largest trailer section.</summary>
    public int MaxResponseHeadBytes { get; init; } = 64 * 1024;

    /// <summary>The most header fields a response head (or a trailer section) may have.</summary>
    public int MaxResponseHeaders { get; init; } = 256;

    /// <summary>
    /// Bytes read from an upstream connection at a time. A 64 KiB answer then takes one read and one send to the
    /// client instead of four of each (16 KiB): 11.7 system calls per such request against 21.4 (bench/alloc.sh with
    /// STRACE=1 URL_PATH=/64k, bench/PROFILE.md). The buffer is rented only while bytes are waiting to be read.
    /// </summary>
    public int ReadBufferBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// The epoll transport connections to IP endpoints go through (<c>run --transport epoll</c>); null: .NET's sockets.
    /// </summary>
    public EpollEngine? Epoll { get; init; }

    /// <summary>With <see cref="Epoll"/>: an exchange that waited on its pod continues on the loop thread (<c>--inline-io</c>) or the thread pool.</summary>
    public bool InlineIo { get; init; } = true;
}
