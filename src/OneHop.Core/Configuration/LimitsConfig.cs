namespace OneHop.Core.Configuration;

/// <summary>
/// Request limits with safe defaults (Kestrel's, except the body size): each answers with its proper status —
/// 431 for headers, 413 for the body, 408 for a client too slow to send its headers (slowloris), 429 for the rate.
/// </summary>
internal sealed record LimitsConfig
{
    public long MaxRequestHeadersSize { get; init; } = 32 * 1024;

    public int MaxRequestHeaders { get; init; } = 100;

    /// <summary>0 for no limit. 100 MiB by default: uploads to legacy apps are often large, 1 MiB (nginx's) is too small.</summary>
    public long MaxRequestBodySize { get; init; } = 100L * 1024 * 1024;

    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);

    public RateLimitConfig? RateLimit { get; init; }

    /// <summary>Where the replicas count the routes' rates together; null: each replica counts on its own.</summary>
    public SharedRatesConfig? SharedRates { get; init; }
}
