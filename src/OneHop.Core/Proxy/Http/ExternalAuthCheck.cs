using System.Collections.Immutable;
using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// A route's external authentication as one snapshot serves it: the route's settings with their nginx variables read
/// once, and the backend of the Service the URL names (null when DNS resolves it), so a request looks nothing up.
/// </summary>
internal sealed class ExternalAuthCheck(RouteExternalAuth auth, BackendState? backend)
{
    public RouteExternalAuth Auth => auth;

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
