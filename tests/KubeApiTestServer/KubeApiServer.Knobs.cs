using KubeApiTestServer.Resources;

namespace KubeApiTestServer;

/// <summary>The test knobs (contract sections 3.4, 4.6, 6.4 and the brief).</summary>
public sealed partial class KubeApiServer
{
    /// <summary>The current global resourceVersion (bumped by every create, update and delete).</summary>
    public long ResourceVersion => _store.CurrentResourceVersion;

    /// <summary>History is retained for RVs above this one; a watch from an older RV gets the 410 ERROR event.</summary>
    public long CompactedResourceVersion => _store.CompactedThrough;

    /// <summary>How many change events are retained (older ones are compacted away).</summary>
    public int HistoryCapacity
    {
        get => _store.HistoryCapacity;
        set => _store.HistoryCapacity = value;
    }

    /// <summary>The number of watch streams currently open.</summary>
    public int ActiveWatchCount => _store.WatchCount;

    /// <summary>Delay before answering every API request (measured on the server's <see cref="TimeProvider"/>).</summary>
    public TimeSpan ResponseDelay
    {
        get => _knobs.ResponseDelay;
        set => _knobs.ResponseDelay = value;
    }

    /// <summary>Watch lifetime when the client gives no <c>timeoutSeconds</c> (default 30 minutes; zero means no limit).</summary>
    public TimeSpan DefaultWatchTimeout
    {
        get => _knobs.DefaultWatchTimeout;
        set => _knobs.DefaultWatchTimeout = value;
    }

    /// <summary>Interval of periodic BOOKMARK events on watches that allow them (default 1 minute; zero disables them).</summary>
    public TimeSpan BookmarkInterval
    {
        get => _knobs.BookmarkInterval;
        set => _knobs.BookmarkInterval = value;
    }

    /// <summary>Age after which a continue token answers 410 Expired (default 5 minutes).</summary>
    public TimeSpan ContinueTokenTtl
    {
        get => _knobs.ContinueTokenTtl;
        set => _knobs.ContinueTokenTtl = value;
    }

    /// <summary>How long a request for a future RV waits for it before the 504 (default zero: answer at once; the real server waits 3 s).</summary>
    public TimeSpan TooLargeResourceVersionWait
    {
        get => _knobs.TooLargeResourceVersionWait;
        set => _knobs.TooLargeResourceVersionWait = value;
    }

    /// <summary>When set, API requests without <c>Authorization: Bearer</c> and this token get 401 Unauthorized.</summary>
    public string? BearerToken
    {
        get => _knobs.BearerToken;
        set => _knobs.BearerToken = value;
    }

    /// <summary>The user named in 403 Forbidden messages.</summary>
    public string UserName
    {
        get => _knobs.UserName;
        set => _knobs.UserName = value;
    }

    /// <summary>Emulate the DefaultIngressClass admission plugin on Ingress creation (off by default).</summary>
    public bool EmulateDefaultIngressClass
    {
        get => _knobs.EmulateDefaultIngressClass;
        set => _knobs.EmulateDefaultIngressClass = value;
    }

    /// <summary>Whether streaming lists (<c>sendInitialEvents</c>) are served; when false they get 422 like a server without the WatchList gate.</summary>
    public bool WatchListEnabled
    {
        get => _knobs.WatchListEnabled;
        set => _knobs.WatchListEnabled = value;
    }

    /// <summary>Every API request received so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requestsGate)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>
    /// Completes once a received request matches <paramref name="predicate"/>. Requests are recorded on arrival,
    /// after the <see cref="ResponseDelay"/> timer is armed and before they are answered.
    /// </summary>
    public async Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        while (true)
        {
            Task arrived;
            lock (_requestsGate)
            {
                if (_requests.FirstOrDefault(predicate) is { } match)
                {
                    return match;
                }

                arrived = _requestArrived.Task;
            }

            await arrived.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends every open watch cleanly now (terminating chunk sent); later watches are unaffected.</summary>
    public void CloseAllWatches() => _watchControl.CloseAll();

    /// <summary>Aborts every open watch connection now, without the terminating chunk (the client sees an I/O error).</summary>
    public void DropAllWatches() => _watchControl.DropAll();

    /// <summary>Drops the history up to and including <paramref name="resourceVersion"/> (capped at the current RV).</summary>
    public void CompactHistory(long resourceVersion) => _store.CompactThrough(resourceVersion);

    /// <summary>Drops the whole history: every watch resuming from an RV older than the current one gets 410.</summary>
    public void CompactHistory() => _store.CompactThrough(long.MaxValue);

    /// <summary>Makes a kind answer 403 Forbidden to every HTTP request (the direct C# API is unaffected).</summary>
    public void Forbid(KubeKind kind) => _knobs.SetForbidden(kind, true);

    /// <summary>Undoes <see cref="Forbid"/>.</summary>
    public void Allow(KubeKind kind) => _knobs.SetForbidden(kind, false);

    /// <summary>The Gateway API kinds (gateway.networking.k8s.io), for tests that uninstall or install them together.</summary>
    public static IReadOnlyList<KubeKind> GatewayApiKinds { get; } =
        [KubeKind.GatewayClass, KubeKind.Gateway, KubeKind.HttpRoute, KubeKind.GrpcRoute, KubeKind.TcpRoute, KubeKind.UdpRoute, KubeKind.TlsRoute, KubeKind.ReferenceGrant, KubeKind.BackendTlsPolicy, KubeKind.ListenerSet];

    /// <summary>
    /// Makes a custom resource kind "not installed", as if its CRD were absent: every HTTP request on its paths answers
    /// 404 NotFound (after authorization, as on a real server) and its open watches end cleanly. Its objects are kept and
    /// the direct C# API still reaches them (a real CRD deletion deletes them), so a test can prepare objects that appear
    /// when the kind is installed again. Throws <see cref="ArgumentException"/> for a built-in kind.
    /// </summary>
    public void Uninstall(KubeKind kind)
    {
        _knobs.SetInstalled(CustomResource(kind), false);
        _store.EndWatches(kind);
    }

    /// <summary>Undoes <see cref="Uninstall"/>: the kind is served again, with the objects it had.</summary>
    public void Install(KubeKind kind) => _knobs.SetInstalled(CustomResource(kind), true);

    /// <summary>False while <see cref="Uninstall"/> is in effect for the kind.</summary>
    public bool IsInstalled(KubeKind kind) => _knobs.IsInstalled(kind);

    /// <summary>Completes once at least <paramref name="count"/> watches (of <paramref name="kind"/>, or of any kind) are open.</summary>
    public Task WaitForWatchesAsync(int count, KubeKind? kind = null, CancellationToken cancellationToken = default) =>
        _store.WaitForWatchesAsync(kind, n => n >= count, cancellationToken);

    /// <summary>Completes once no more than <paramref name="count"/> watches (of <paramref name="kind"/>, or of any kind) are open.</summary>
    public Task WaitForWatchesAtMostAsync(int count, KubeKind? kind = null, CancellationToken cancellationToken = default) =>
        _store.WaitForWatchesAsync(kind, n => n <= count, cancellationToken);

    private static KubeKind CustomResource(KubeKind kind) =>
        ResourceKinds.Get(kind).IsCustomResource
            ? kind
            : throw new ArgumentException($"{kind} is built into every API server; only custom resources can be uninstalled.", nameof(kind));
}
