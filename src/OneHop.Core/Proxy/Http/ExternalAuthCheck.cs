using System.Collections.Immutable;
using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// A route's external authentication as one snapshot serves it: the route's settings with their nginx variables read
/// once, and the backend of the Service the URL names (null when DNS resolves it), so a request looks nothing up.
/// </summary>
/// <param name="routeId">The route's stable id: cached answers are the route's own, as nginx's are its location's.</param>
internal sealed class ExternalAuthCheck(RouteExternalAuth auth, BackendState? backend, string routeId)
{
    public RouteExternalAuth Auth => auth;

    /// <summary>auth-cache-key read once; null when answers are not reused.</summary>
    public RequestTemplate? CacheKey { get; } = auth.Cache is { } cache ? Parse(cache.Key) : null;

    /// <summary>
    /// What a cache key is prefixed with: the route and the URL asked, so that neither another route nor a changed
    /// auth-url (a new snapshot) finds this route's answers.
    /// </summary>
    public string CacheSpace { get; } = $"{routeId}\n{auth.Url}\n";

    /// <summary>The pods the subrequest goes to; null sends it to the URL's host as DNS resolves it.</summary>
    public BackendState? Backend => backend;

    public RequestTemplate Url { get; } = Parse(auth.Url);

    public RequestTemplate? Signin { get; } = auth.Signin is { } signin ? Parse(signin) : null;

    public RequestTemplate? RequestRedirect { get; } = auth.RequestRedirect is { } redirect ? Parse(redirect) : null;

    /// <summary>auth-proxy-set-headers, values read once.</summary>
    public ImmutableArray<(string Name, RequestTemplate Value)> RequestHeaders { get; } = [.. auth.RequestHeaders.Select(h => (h.Key, Parse(h.Value)))];

    /// <summary>The translator refuses values with unknown variables, so a failure here is a bug, not bad input.</summary>
    private static RequestTemplate Parse(string text) =>
        RequestTemplate.Parse(text, out var problem) ?? throw new InvalidOperationException(problem);
}
