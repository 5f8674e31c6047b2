using System.Collections.Immutable;

namespace OneHop.Core.Routing;

/// <summary>
/// Everything the data plane needs to route, as one immutable value: built by the translator, swapped atomically.
/// </summary>
/// <param name="Routes">Every route, sorted by host then precedence (the order a request is matched in).</param>
/// <param name="DefaultRoute">Where requests that match no route go; none means 404.</param>
/// <param name="Backends">Every backend a route uses, sorted by id.</param>
internal sealed record RoutingSnapshot(
    ImmutableArray<Route> Routes,
    Route? DefaultRoute,
    ImmutableArray<Backend> Backends)
{
    public static readonly RoutingSnapshot Empty = new([], null, []);

    /// <summary>Certificates from Ingress TLS Secrets, with the hosts whose SNI selects each.</summary>
    public ImmutableArray<Tls.TlsCertificate> Certificates { get; init; } = [];

    /// <summary>Per-host TLS behaviour: HTTPS redirect, HSTS, client certificates.</summary>
    public ImmutableArray<Tls.HostPolicy> HostPolicies { get; init; } = [];

    /// <summary>TCP, UDP and TLS passthrough: listeners, passthrough hosts and their backends; null when there are none.</summary>
    public L4.L4Snapshot? L4 { get; init; }

    /// <summary>
    /// The proxies in front trusted to name the client, from ingress-nginx's controller ConfigMap
    /// (<c>use-forwarded-headers</c>, <c>enable-real-ip</c>); null when it trusts none (the config file's then apply).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Configuration.TrustedProxiesConfig? TrustedProxies { get; init; }

    /// <summary>
    /// The PROXY protocol of the HTTP and HTTPS listeners without one of their own, from ingress-nginx's controller
    /// ConfigMap (<c>use-proxy-protocol</c>); null when it asks for none.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Configuration.ProxyProtocolConfig? ProxyProtocol { get; init; }

    /// <summary>
    /// The TLS versions every HTTPS listener offers, from ingress-nginx's controller ConfigMap (<c>ssl-protocols</c>);
    /// null without it (the config file's <c>tls.minVersion</c> then applies).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public System.Security.Authentication.SslProtocols? ServerTlsProtocols { get; init; }

    /// <summary>
    /// The TLS cipher suites every HTTPS listener offers, from ingress-nginx's controller ConfigMap (<c>ssl-ciphers</c>);
    /// null without it (the config file's <c>tls.cipherSuites</c> then applies).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Configuration.TlsCipherSuiteList? ServerCipherSuites { get; init; }

    /// <summary>
    /// Every served certificate's OCSP answer is stapled to its handshakes: the config file's <c>tls.ocspStapling</c> or
    /// ingress-nginx's controller ConfigMap's <c>enable-ocsp</c>.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool OcspStapling { get; init; }

    /// <summary>
    /// A handshake whose SNI names no host with a certificate (or that has none) is refused: the config file's
    /// <c>tls.rejectUnknownNames</c> or ingress-nginx's ConfigMap's <c>ssl-reject-handshake</c>.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool RejectUnknownServerNames { get; init; }

    /// <summary>The status of the redirects of plain HTTP to HTTPS: 308, or ingress-nginx's ConfigMap's <c>http-redirect-code</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int HttpsRedirectStatus { get; init; } = 308;

    /// <summary>The ports of OneHop's Gateways' valid listeners, by port; a port is HTTPS when its listeners are.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ImmutableArray<GatewayApi.GatewayPort> GatewayPorts { get; init; } = [];

    /// <summary><see cref="GatewayPorts"/> as JSON: absent when there is no Gateway.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("gatewayPorts")]
    public GatewayApi.GatewayPort[]? GatewayPortsShown => GatewayPorts.IsEmpty ? null : [.. GatewayPorts];

    public bool Equals(RoutingSnapshot? other) =>
        other is not null && DefaultRoute == other.DefaultRoute
        && Routes.SequenceEqual(other.Routes) && Backends.SequenceEqual(other.Backends)
        && Certificates.SequenceEqual(other.Certificates) && HostPolicies.SequenceEqual(other.HostPolicies) && L4 == other.L4
        && GatewayPorts.SequenceEqual(other.GatewayPorts) && TrustedProxies == other.TrustedProxies
        && ServerTlsProtocols == other.ServerTlsProtocols && Equals(ServerCipherSuites, other.ServerCipherSuites) && OcspStapling == other.OcspStapling && HttpsRedirectStatus == other.HttpsRedirectStatus && RejectUnknownServerNames == other.RejectUnknownServerNames && ProxyProtocol == other.ProxyProtocol;

    public override int GetHashCode() => HashCode.Combine(Routes.Length, Backends.Length);
}
