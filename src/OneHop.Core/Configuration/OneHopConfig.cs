using System.Collections.Immutable;

namespace OneHop.Core.Configuration;

/// <summary>
/// The validated config file (<c>onehop.yaml</c>): listeners, defaults, and the servers outside Kubernetes.
/// Every field has a safe default, so an empty file is a valid config.
/// </summary>
internal sealed record OneHopConfig
{
    public static readonly OneHopConfig Default = new();

    public ImmutableArray<ListenerConfig> Listeners { get; init; } = [];

    public ListenAddress? Admin { get; init; }

    /// <summary>Host names the admin API answers for besides loopback and its own address (<c>admin.hosts</c>).</summary>
    public ImmutableArray<string> AdminHosts { get; init; } = [];

    public IngressSettings Ingress { get; init; } = new();

    public GatewaySettings Gateway { get; init; } = new();

    public ProxyDefaults Defaults { get; init; } = new();

    public TopologySettings Topology { get; init; } = new();

    public TlsConfig Tls { get; init; } = TlsConfig.None;

    public LimitsConfig Limits { get; init; } = new();

    public ForwardedHeadersConfig ForwardedHeaders { get; init; } = new();

    /// <summary>How every route's answers are compressed unless the route says otherwise; null for none (the default).</summary>
    public Compression.CompressionPolicy? Compression { get; init; }

    public ImmutableArray<UpstreamConfig> Upstreams { get; init; } = [];

    public ImmutableArray<StaticRouteConfig> Routes { get; init; } = [];

    /// <summary>The upstream for requests no route matches; it takes precedence over Ingress default backends.</summary>
    public string? DefaultUpstream { get; init; }

    public bool Equals(OneHopConfig? other) =>
        other is not null && Listeners.SequenceEqual(other.Listeners) && Admin == other.Admin && AdminHosts.SequenceEqual(other.AdminHosts) && Ingress == other.Ingress && Gateway == other.Gateway
        && Defaults == other.Defaults && Topology == other.Topology && Tls == other.Tls && Limits == other.Limits
        && ForwardedHeaders == other.ForwardedHeaders && Upstreams.SequenceEqual(other.Upstreams) && Routes.SequenceEqual(other.Routes)
        && DefaultUpstream == other.DefaultUpstream && Compression == other.Compression;

    public override int GetHashCode() => HashCode.Combine(Listeners.Length, Upstreams.Length, Routes.Length);
}
