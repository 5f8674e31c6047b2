using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// A backendRef's own <c>filters</c> → <see cref="RouteFilters"/> for the requests that backend takes. An HTTPRoute's
/// backendRef may carry header modifiers, URLRewrite and RequestRedirect (the spec's extended support in HTTPBackendRef);
/// a GRPCRoute's header modifiers only, as GRPCRoute has no rewrite or redirect. RequestMirror, CORS and ExtensionRef on
/// a backendRef are not supported. Values are checked as a rule's are (<see cref="HttpRouteFilters"/>).
/// </summary>
internal static class BackendRefFilters
{
    /// <summary>
    /// The filters of the backendRef at <paramref name="field"/>, or null and why they cannot be served, each reason naming
    /// its field (the backend is then left unresolved).
    /// </summary>
    public static RouteFilters? Compile(string routeKind, IList<HttpRouteFilter> filters, string field, out string? problem)
    {
        for (var i = 0; i < filters.Count; i++)
        {
            if (!Supported(routeKind, filters[i]?.Type))
            {
                problem = $"{field}.filters[{i}]: {filters[i]?.Type ?? "a filter without a type"} is not supported on a backendRef of {routeKind}s";
                return null;
            }
        }

        var problems = new List<string>();
        var compiled = HttpRouteFilters.Compile(filters, $"{field}.filters", problems);
        problem = problems.Count > 0 ? string.Join("; ", problems) : null;
        return problem is null ? compiled : null;
    }

    private static bool Supported(string routeKind, string? type) => type switch
    {
        "RequestHeaderModifier" or "ResponseHeaderModifier" => true,
        "URLRewrite" or "RequestRedirect" => routeKind == KubeKinds.HttpRoute,
        _ => false,
    };
}
