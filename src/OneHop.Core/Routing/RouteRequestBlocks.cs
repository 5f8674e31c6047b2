namespace OneHop.Core.Routing;

/// <summary>
/// Requests a route refuses with 403 by their <c>User-Agent</c> or <c>Referer</c> (ingress-nginx's
/// <c>block-user-agents</c> and <c>block-referers</c>, nginx's <c>map</c> then <c>if (...) { return 403; }</c> at the
/// server level): checked before anything else the route does, redirects included, as nginx's server rewrite phase.
/// </summary>
/// <param name="UserAgents">The User-Agent values refused; null for none.</param>
/// <param name="Referers">The Referer values refused; null for none.</param>
internal sealed record RouteRequestBlocks(MapPatterns? UserAgents, MapPatterns? Referers)
{
    /// <summary>True when the request's headers (an absent one is empty, as nginx's variables) match a list.</summary>
    public bool Refuses(ReadOnlySpan<char> userAgent, ReadOnlySpan<char> referer) =>
        (UserAgents is not null && UserAgents.Matches(userAgent)) || (Referers is not null && Referers.Matches(referer));

    public bool Equals(RouteRequestBlocks? other) =>
        other is not null && Equals(UserAgents, other.UserAgents) && Equals(Referers, other.Referers);

    public override int GetHashCode() => HashCode.Combine(UserAgents, Referers);
}
