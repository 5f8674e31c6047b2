using System.Net;
using OneHop.Core.Balancing;

namespace OneHop.Core.Proxy.L4;

/// <summary>
/// What a picker may read of a TCP connection or UDP session: its client address, nothing else. Maglev hashes it;
/// cookie affinity finds no cookie and falls back to p2c (the translator already turns such policies into p2c).
/// </summary>
internal sealed class ConnectionRequest(IPAddress? client) : IBalancedRequest
{
    public IPAddress? ClientAddress => client;

    public string Path => string.Empty;

    public string? Header(string name) => null;

    public string? Cookie(string name) => null;

    public void SetAffinityCookie(string name, string value, Configuration.Policies.AffinityCookieAttributes? attributes = null)
    {
        // A connection has nowhere to carry a cookie.
    }
}
