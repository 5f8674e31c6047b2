using System.Collections.Immutable;
using System.Net;
using OneHop.Core.Configuration;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// The controller ConfigMap's keys that say who the client is: <c>use-forwarded-headers</c>, <c>enable-real-ip</c>,
/// <c>forwarded-for-header</c>, <c>proxy-real-ip-cidr</c> and <c>compute-full-forwarded-for</c>, with ingress-nginx's
/// defaults; read into the proxies every request's client address is resolved through (not a setting of an Ingress).
/// </summary>
internal sealed class NginxRealIp
{
    /// <summary>ingress-nginx's default <c>proxy-real-ip-cidr</c>: every IPv4 peer (and no IPv6 one).</summary>
    public static readonly ImmutableArray<IPNetwork> DefaultCidrs = [new(IPAddress.Any, 0)];

    public bool UseForwardedHeaders { get; set; }

    public bool EnableRealIp { get; set; }

    public bool ComputeFullForwardedFor { get; set; }

    public string ForwardedForHeader { get; set; } = "X-Forwarded-For";

    public ImmutableArray<IPNetwork> Cidrs { get; set; } = DefaultCidrs;

    /// <summary><c>use-proxy-protocol</c>: connections from <see cref="Cidrs"/> start with a PROXY protocol header.</summary>
    public bool UseProxyProtocol { get; set; }

    /// <summary>
    /// The PROXY protocol of the HTTP and HTTPS listeners without one of their own: required from the peers of
    /// <c>proxy-real-ip-cidr</c>, whose header names the client; null when <c>use-proxy-protocol</c> is off.
    /// </summary>
    public ProxyProtocolConfig? ToProxyProtocol() => UseProxyProtocol ? new ProxyProtocolConfig(Cidrs) : null;

    /// <summary>
    /// The trusted proxies these keys set up; null when neither <c>use-forwarded-headers</c> nor <c>enable-real-ip</c> is
    /// on, as ingress-nginx then loads no realip module. <c>compute-full-forwarded-for</c> counts only with
    /// <c>use-forwarded-headers</c>, as in ingress-nginx's template.
    /// </summary>
    public TrustedProxiesConfig? ToConfig() => UseForwardedHeaders || EnableRealIp
        ? new TrustedProxiesConfig(Cidrs, ForwardedForHeader, Recursive: true, TrustsXForwarded: UseForwardedHeaders, AppendsForwardedFor: UseForwardedHeaders && ComputeFullForwardedFor)
        : null;
}
