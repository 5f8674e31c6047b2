using OneHop.Core.Routing;

namespace OneHop.Core.Telemetry;

/// <summary>
/// The labels a routed client request adds to ASP.NET Core's <c>http.server.request.duration</c>: the namespace and the
/// object that declared the route (<c>Ingress/web</c>, <c>HTTPRoute/api</c>, <c>config/exchange</c>) and <c>http.route</c>,
/// the rule's host and path as written. All three come from what the operator wrote, never from OneHop's internal route
/// id, so a series keeps its name when other rules, hosts or pods change. Made once per route and snapshot.
/// </summary>
internal sealed record RouteLabels(string Namespace, string Route, string Template)
{
    /// <summary>Reads <see cref="Route.Source"/> (<c>Ingress default/web spec.rules[0]...</c>, <c>config route api</c>).</summary>
    public static RouteLabels Of(Route route)
    {
        var template = route.Host + route.Path;
        var words = route.Source.Split(' ', 4);
        if (words is ["config", _, var name, ..])
        {
            return new RouteLabels(string.Empty, $"config/{name}", template);
        }

        if (words is [var kind, var reference, ..] && reference.IndexOf('/', StringComparison.Ordinal) is var slash and > 0)
        {
            return new RouteLabels(reference[..slash], $"{kind}/{reference[(slash + 1)..]}", template);
        }

        return new RouteLabels(string.Empty, words[0], template);
    }
}
