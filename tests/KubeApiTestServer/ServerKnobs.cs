namespace KubeApiTestServer;

/// <summary>The test-only controls, read by the request handlers on every request. Thread-safe.</summary>
internal sealed class ServerKnobs
{
    private readonly KindSet _forbidden = new();
    private readonly KindSet _notInstalled = new();
    private long _responseDelayTicks;
    private long _defaultWatchTimeoutTicks = TimeSpan.FromMinutes(30).Ticks;
    private long _bookmarkIntervalTicks = TimeSpan.FromMinutes(1).Ticks;
    private long _continueTokenTtlTicks = TimeSpan.FromMinutes(5).Ticks;
    private long _tooLargeWaitTicks;
    private volatile string? _bearerToken;
    private volatile string _userName = "system:anonymous";
    private volatile bool _emulateDefaultIngressClass;
    private volatile bool _watchListEnabled = true;

    public TimeSpan ResponseDelay
    {
        get => Read(ref _responseDelayTicks);
        set => Write(ref _responseDelayTicks, value);
    }

    public TimeSpan DefaultWatchTimeout
    {
        get => Read(ref _defaultWatchTimeoutTicks);
        set => Write(ref _defaultWatchTimeoutTicks, value);
    }

    public TimeSpan BookmarkInterval
    {
        get => Read(ref _bookmarkIntervalTicks);
        set => Write(ref _bookmarkIntervalTicks, value);
    }

    public TimeSpan ContinueTokenTtl
    {
        get => Read(ref _continueTokenTtlTicks);
        set => Write(ref _continueTokenTtlTicks, value);
    }

    public TimeSpan TooLargeResourceVersionWait
    {
        get => Read(ref _tooLargeWaitTicks);
        set => Write(ref _tooLargeWaitTicks, value);
    }

    public string? BearerToken
    {
        get => _bearerToken;
        set => _bearerToken = value;
    }

    public string UserName
    {
        get => _userName;
        set => _userName = value;
    }

    public bool EmulateDefaultIngressClass
    {
        get => _emulateDefaultIngressClass;
        set => _emulateDefaultIngressClass = value;
    }

    public bool WatchListEnabled
    {
        get => _watchListEnabled;
        set => _watchListEnabled = value;
    }

    public bool IsForbidden(KubeKind kind) => _forbidden.Contains(kind);

    public void SetForbidden(KubeKind kind, bool forbidden) => _forbidden.Set(kind, forbidden);

    public bool IsInstalled(KubeKind kind) => !_notInstalled.Contains(kind);

    public void SetInstalled(KubeKind kind, bool installed) => _notInstalled.Set(kind, !installed);

    private static TimeSpan Read(ref long ticks) => TimeSpan.FromTicks(Interlocked.Read(ref ticks));

    private static void Write(ref long ticks, TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
        Interlocked.Exchange(ref ticks, value.Ticks);
    }
}
