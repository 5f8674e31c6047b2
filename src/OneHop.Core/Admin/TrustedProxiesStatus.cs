using System.Collections.Immutable;
using OneHop.Core.Configuration;

namespace OneHop.Core.Admin;

/// <summary>
/// The proxies in front whose word OneHop takes about the client, as in force now (the config file's
/// <c>forwardedHeaders.trustedProxies</c>, or the ingress-nginx ConfigMap's <c>proxy-real-ip-cidr</c> keys that replace it),
/// so an operator can see which peers are believed without reading both.
/// </summary>
/// <param name="Networks">The trusted peers and hops, as networks.</param>
/// <param name="Header">The header the client address is read from.</param>
/// <param name="Recursive">The client is the rightmost address that is not itself trusted (nginx's real_ip_recursive).</param>
/// <param name="TrustsForwardedProtoHostPort">Their X-Forwarded-Proto, -Host and -Port are believed too.</param>
/// <param name="AppendsForwardedFor">Pods get the X-Forwarded-For received with the peer added, not the client alone.</param>
internal sealed record TrustedProxiesStatus(ImmutableArray<string> Networks, string Header, bool Recursive, bool TrustsForwardedProtoHostPort, bool AppendsForwardedFor)
{
    /// <summary>Null when no proxy is trusted.</summary>
    public static TrustedProxiesStatus? From(TrustedProxiesConfig? trusted) => trusted is null
        ? null
        : new([.. trusted.Networks.Select(n => n.ToString())], trusted.Header, trusted.Recursive, trusted.TrustsXForwarded, trusted.AppendsForwardedFor);
}
