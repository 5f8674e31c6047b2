namespace OneHop.Core.Sources.Config;

// The config file as written, before validation: every field optional so that the validator, not the YAML
// reader, says what is missing. Unknown fields are errors (the reader is strict).
#pragma warning disable CA2227, CA1002 // settable lists are how YamlDotNet fills a document
internal sealed class ConfigDocument
{
    public List<ListenerDocument>? Listeners { get; set; }

    public AdminDocument? Admin { get; set; }

    public IngressDocument? Ingress { get; set; }

    public DefaultsDocument? Defaults { get; set; }

    public TopologyDocument? Topology { get; set; }

    public TlsDocument? Tls { get; set; }

    public LimitsDocument? Limits { get; set; }

    public ForwardedHeadersDocument? ForwardedHeaders { get; set; }

    public CompressionDocument? Compression { get; set; }

    public List<UpstreamDocument>? Upstreams { get; set; }

    public List<RouteDocument>? Routes { get; set; }

    public string? DefaultUpstream { get; set; }
}

internal sealed class ListenerDocument
{
    public string? Name { get; set; }

    public string? Address { get; set; }

    public string? Protocol { get; set; }

    public ProxyProtocolDocument? ProxyProtocol { get; set; }

    public int? MaxConnections { get; set; }

    // L4 listeners (tcp, udp, tls-passthrough) only:
    public string? Service { get; set; }

    public string? Upstream { get; set; }

    public List<L4RouteDocument>? Routes { get; set; }

    public string? ProxyProtocolToBackend { get; set; }

    public string? IdleTimeout { get; set; }

    public string? DrainTimeout { get; set; }
}

internal sealed class L4RouteDocument
{
    public List<string>? Hosts { get; set; }

    public string? Service { get; set; }

    public string? Upstream { get; set; }

    public string? ProxyProtocolToBackend { get; set; }
}

internal sealed class ProxyProtocolDocument
{
    public List<string>? TrustedCidrs { get; set; }

    public string? SchemeFrom { get; set; }
}

internal sealed class TlsDocument
{
    public string? MinVersion { get; set; }

    public string? CipherSuites { get; set; }

    public int? RedirectPort { get; set; }

    public bool? OcspStapling { get; set; }

    public bool? RejectUnknownNames { get; set; }

    public CertificateDocument? DefaultCertificate { get; set; }

    public List<CertificateDocument>? Certificates { get; set; }
}

internal sealed class CertificateDocument
{
    public string? CertFile { get; set; }

    public string? KeyFile { get; set; }
}

internal sealed class LimitsDocument
{
    public string? MaxRequestHeadersSize { get; set; }

    public int? MaxRequestHeaders { get; set; }

    public string? MaxRequestBodySize { get; set; }

    public string? RequestHeadersTimeout { get; set; }

    public string? KeepAliveTimeout { get; set; }

    public RateLimitDocument? RateLimit { get; set; }

    public SharedRatesDocument? SharedRates { get; set; }
}

internal sealed class SharedRatesDocument
{
    public string? Redis { get; set; }

    public string? SyncInterval { get; set; }

    public string? KeyPrefix { get; set; }

    public string? PasswordFile { get; set; }
}

internal sealed class CompressionDocument
{
    public List<string>? Codings { get; set; }

    public int? GzipLevel { get; set; }

    public int? BrotliLevel { get; set; }

    public string? MinLength { get; set; }

    public List<string>? Types { get; set; }

    public List<string>? DisableForUserAgents { get; set; }
}

internal sealed class RateLimitDocument
{
    public int? RequestsPerSecond { get; set; }

    public int? Burst { get; set; }
}

internal sealed class ForwardedHeadersDocument
{
    public string? XForwarded { get; set; }

    public string? Forwarded { get; set; }

    public TrustedProxiesDocument? TrustedProxies { get; set; }

    public bool? GenerateRequestId { get; set; }
}

internal sealed class TrustedProxiesDocument
{
    public List<string>? Cidrs { get; set; }

    public string? Header { get; set; }

    public bool? Recursive { get; set; }

    public bool? TrustXForwarded { get; set; }

    public bool? AppendForwardedFor { get; set; }
}

internal sealed class AdminDocument
{
    public string? Address { get; set; }

    public List<string>? Hosts { get; set; }
}

internal sealed class TopologyDocument
{
    public string? Zone { get; set; }

    public double? TrafficShare { get; set; }
}

internal sealed class IngressDocument
{
    public string? ClassName { get; set; }

    public bool? WatchWithoutClass { get; set; }

    public bool? AdoptIngressNginx { get; set; }

    public bool? OwnIngressNginx { get; set; }

    public string? TcpServicesConfigMap { get; set; }

    public string? UdpServicesConfigMap { get; set; }

    public string? NginxConfigMap { get; set; }

    public string? ServicesAddress { get; set; }
}

/// <summary>The backend policy fields, shared by <c>defaults</c> and each upstream.</summary>
internal class PolicyDocument
{
    public string? LoadBalancing { get; set; }

    public string? HashKey { get; set; }

    public string? BoundedLoad { get; set; }

    public string? AffinityCookie { get; set; }

    public string? SlowStart { get; set; }

    public string? EwmaDecay { get; set; }

    public string? ZoneAware { get; set; }

    public HealthCheckDocument? HealthCheck { get; set; }

    public OutlierDocument? Outlier { get; set; }

    public RetriesDocument? Retries { get; set; }

    public ConcurrencyDocument? Concurrency { get; set; }
}

internal sealed class DefaultsDocument : PolicyDocument
{
    public string? ConnectTimeout { get; set; }

    public string? RequestTimeout { get; set; }

    public string? UpstreamIdleTimeout { get; set; }

    public string? DrainTimeout { get; set; }

    public string? Reach { get; set; }
}

/// <summary>The per-endpoint cap and its queue (<see cref="Configuration.Policies.ConcurrencyLimit"/>).</summary>
internal sealed class ConcurrencyDocument
{
    public string? MaxPerEndpoint { get; set; }

    public string? QueueSize { get; set; }

    public string? QueueTimeout { get; set; }
}

internal sealed class HealthCheckDocument
{
    public string? Path { get; set; }

    public string? Interval { get; set; }

    public string? Timeout { get; set; }

    public string? HealthyThreshold { get; set; }

    public string? UnhealthyThreshold { get; set; }
}

internal sealed class OutlierDocument
{
    public string? ConsecutiveFailures { get; set; }

    public string? BaseEjectionTime { get; set; }

    public string? MaxEjectionPercent { get; set; }
}

internal sealed class RetriesDocument
{
    public string? Attempts { get; set; }

    public string? BudgetPercent { get; set; }

    public string? MinPerSecond { get; set; }
}

internal sealed class UpstreamDocument : PolicyDocument
{
    public string? Name { get; set; }

    public string? Scheme { get; set; }

    public bool? TlsInsecureSkipVerify { get; set; }

    public string? TlsCaFile { get; set; }

    public string? TlsServerName { get; set; }

    public List<UpstreamEndpointDocument>? Endpoints { get; set; }
}

internal sealed class UpstreamEndpointDocument
{
    public string? Address { get; set; }

    public int? Weight { get; set; }

    public string? Zone { get; set; }
}

internal sealed class RouteDocument
{
    public string? Name { get; set; }

    public List<string>? Hosts { get; set; }

    public string? Path { get; set; }

    public string? PathType { get; set; }

    public string? Upstream { get; set; }

    public string? Timeout { get; set; }

    public bool? Compression { get; set; }
}
#pragma warning restore CA2227, CA1002
