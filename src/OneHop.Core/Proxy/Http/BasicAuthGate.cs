using System.Collections.Concurrent;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Auth;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// A route's basic authentication at run time: checks the Authorization header against the route's users and
/// remembers the header values that passed, since a bcrypt check takes tens of milliseconds and a browser sends the
/// same header with every request. Built once per route and kept across snapshots while the route's users are the same.
/// </summary>
internal sealed class BasicAuthGate(RouteBasicAuth auth)
{
    /// <summary>Enough for every client of a route; past it the memory starts over rather than grow without bound.</summary>
    private const int MostRemembered = 4096;

    private readonly ConcurrentDictionary<string, bool> _passed = new(StringComparer.Ordinal);

    public RouteBasicAuth Auth => auth;

    public string Challenge { get; } = $"Basic realm=\"{auth.Realm}\"";

    /// <summary>True when <paramref name="authorization"/> is <c>Basic</c> with a user of the route and its password.</summary>
    public bool Admits(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (_passed.ContainsKey(authorization))
        {
            return true;
        }

        if (BasicCredentials.Read(authorization) is not ({ Length: > 0 } user, var password)
            || !auth.Users.TryGetValue(user, out var hash) || !PasswordHashes.Verify(password, hash))
        {
            return false; // failures are not remembered: a guesser pays for every try
        }

        if (_passed.Count >= MostRemembered)
        {
            _passed.Clear();
        }

        _passed[authorization] = true;
        return true;
    }
}
