namespace OneHop.Core.Configuration;

/// <summary>
/// <c>limits.sharedRates</c>: the replicas count the routes' request rates (ingress-nginx's <c>limit-rps</c> and
/// <c>limit-rpm</c>) together in a Redis server, adding their counts every <see cref="SyncInterval"/>. Read at start-up.
/// </summary>
/// <param name="Redis">The server: <c>host:port</c>, or StackExchange.Redis's configuration string (password, ssl, …).</param>
/// <param name="SyncInterval">How often a replica adds its admissions and reads the others': the bound of going over.</param>
/// <param name="KeyPrefix">What the store's keys start with, so several OneHop installations can share one Redis.</param>
internal sealed record SharedRatesConfig(string Redis, TimeSpan SyncInterval, string KeyPrefix)
{
    public static readonly TimeSpan DefaultSyncInterval = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan MinSyncInterval = TimeSpan.FromMilliseconds(10);

    public static readonly TimeSpan MaxSyncInterval = TimeSpan.FromSeconds(10);

    public const string DefaultKeyPrefix = "onehop:rate";

    /// <summary>A file holding Redis's password (a mounted Secret), read at start-up; over a <c>password=</c> in <see cref="Redis"/>.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>The problem of a Redis configuration string, or null: a host:port, or StackExchange.Redis's options after it.</summary>
    public static string? RedisProblem(string configuration)
    {
        try
        {
            var options = StackExchange.Redis.ConfigurationOptions.Parse(configuration);
            return options.EndPoints.Count == 0 ? "names no Redis server (host:port)" : null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The configuration string without its password, for logs.</summary>
    public string Server => string.Join(',', Redis.Split(',').Where(p => !p.TrimStart().StartsWith("password=", StringComparison.OrdinalIgnoreCase)));

    /// <summary>How long a sync may wait for Redis before the replicas count alone: five intervals, from 1 s to 5 s.</summary>
    public TimeSpan StoreTimeout => TimeSpan.FromTicks(Math.Clamp(SyncInterval.Ticks * 5, TimeSpan.TicksPerSecond, 5 * TimeSpan.TicksPerSecond));

    public override string ToString() => $"{Server} every {SyncInterval.TotalMilliseconds} ms";
}
