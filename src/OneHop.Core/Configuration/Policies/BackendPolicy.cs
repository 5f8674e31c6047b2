




namespace OneHop.Core.Configuration.Policies;

/// <summary>
/// How a backend's endpoints are chosen and guarded: algorithm and its knobs, health checking, outlier ejection,
/// retries, zone preference. From defaults, then Service or Ingress annotations, or a config-file upstream.
/// </summary>
internal sealed record BackendPolicy
{
    public static readonly BackendPolicy Default = new();

    /// <summary>The algorithm's name (<see cref="BalancingAlgorithms"/>).</summary>
    public string LoadBalancing { get; init; } = BalancingAlgorithms.Default;

    /// <summary>What <c>maglev</c> hashes.</summary>
    public HashKey HashKey { get; init; } = HashKey.ClientIp;

    /// <summary>Maglev bounded load: no endpoint takes more than this factor × the average in-flight; null for none.</summary>
    public double? BoundedLoad { get; init; }

    /// <summary>The cookie the <c>cookie</c> affinity algorithm uses.</summary>
    public string AffinityCookie { get; init; } = "onehop-affinity";

    /// <summary>The affinity cookie's attributes (ingress-nginx's session-cookie-*); null for OneHop's session cookie for /.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public AffinityCookieAttributes? AffinityCookieAttributes { get; init; }

    /// <summary>How long a new endpoint's share of traffic ramps up; zero for no slow start.</summary>
    public TimeSpan SlowStart { get; init; }

    /// <summary>Peak-EWMA decay time.</summary>
    public TimeSpan EwmaDecay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Active health checking; null for none (Kubernetes readiness and passive checks still apply).</summary>
    public HealthProbe? Probe { get; init; }

    public OutlierDetection Outlier { get; init; } = new();

    public RetryPolicy Retry { get; init; } = new();

    /// <summary>The per-endpoint cap on requests at once and the queue in front of it; null (the default) for no cap.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ConcurrencyLimit? Concurrency { get; init; }

    /// <summary>The cap in force: at most this many at once per endpoint; 0 for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int MaxPerEndpoint => Concurrency?.MaxPerEndpoint ?? 0;

    /// <summary>Prefer endpoints in OneHop's own zone while they can carry its share of traffic.</summary>
    public bool ZoneAware { get; init; } = true;
}
