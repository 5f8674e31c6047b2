using System.Net;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Balancing;

/// <summary>
/// What pickers may read of a request (hash keys, the affinity cookie) and the one thing they may do to its answer
/// (set the affinity cookie). Owned by balancing and implemented by each data plane, so the same algorithms serve
/// HTTP through any forwarder, and TCP and UDP connections (which have only a client address).
/// </summary>
internal interface IBalancedRequest
{
    IPAddress? ClientAddress { get; }

    /// <summary>The request path; empty for a connection.</summary>
    string Path { get; }

    /// <summary>A request header's value (the first one), or null; always null for a connection.</summary>
    string? Header(string name);

    /// <summary>A cookie's value, or null; always null for a connection.</summary>
    string? Cookie(string name);

    /// <summary>Asks the answer to set the affinity cookie (replacing a value set by an earlier attempt of the same request).</summary>
    void SetAffinityCookie(string name, string value, AffinityCookieAttributes? attributes = null);
}
