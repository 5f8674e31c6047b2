using System.Collections.Immutable;
using System.Net;

namespace OneHop.Core.Configuration;

/// <summary>
/// The proxies in front whose word OneHop takes about who the client is (nginx's realip module, as ingress-nginx's
/// <c>use-forwarded-headers</c>/<c>enable-real-ip</c> with <c>proxy-real-ip-cidr</c> set it up): on a connection from
/// one of <paramref name="Networks"/>, the client address is read from <paramref name="Header"/>, and allow lists,
/// rate limits, hashing, external auth, logs, traces and the X-Forwarded-For/X-Real-IP sent to pods use it.
/// </summary>
/// <param name="Networks">The trusted peers and hops; a connection from anywhere else keeps its own address.</param>
/// <param name="Header">The header that carries the client address (X-Forwarded-For by default).</param>
/// <param name="Recursive">
/// The client is the rightmost address that is not itself a trusted proxy (nginx's <c>real_ip_recursive on</c>, as
/// ingress-nginx sets it); without, the rightmost address whatever it is.
/// </param>
/// <param name="TrustsXForwarded">
/// Also believe the trusted proxy's X-Forwarded-Proto (the request's scheme: redirects, HSTS), X-Forwarded-Host and
/// X-Forwarded-Port (passed on to pods), as ingress-nginx's <c>use-forwarded-headers</c>.
/// </param>
/// <param name="AppendsForwardedFor">
/// X-Forwarded-For to pods is the one received with the peer's address added (ingress-nginx's
/// <c>compute-full-forwarded-for</c>), instead of the client address alone.
/// </param>
internal sealed record TrustedProxiesConfig(
    ImmutableArray<IPNetwork> Networks,
    string Header = "X-Forwarded-For",
    bool Recursive = true,
    bool TrustsXForwarded = false,
    bool AppendsForwardedFor = false)
{
    public bool Trusts(IPAddress address)
    {
        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in Networks)
        {
            if (network.Contains(candidate))
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(TrustedProxiesConfig? other) =>
        other is not null && Header.Equals(other.Header, StringComparison.OrdinalIgnoreCase) && Recursive == other.Recursive
        && TrustsXForwarded == other.TrustsXForwarded && AppendsForwardedFor == other.AppendsForwardedFor && Networks.SequenceEqual(other.Networks);

    public override int GetHashCode() => HashCode.Combine(Networks.Length, Recursive, TrustsXForwarded, AppendsForwardedFor);
}
