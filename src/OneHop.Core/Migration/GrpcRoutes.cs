using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Migration;

/// <summary>
/// <c>backend-protocol</c> GRPC or GRPCS: the Ingress's HTTPRoute as a GRPCRoute. Its paths become service and method
/// matches (<c>/</c>: every call; <c>/pkg.Service</c>: the service; an Exact <c>/pkg.Service/Method</c>: the method);
/// GRPCRoute has no redirect, rewrite, CORS or timeouts, so those are noted.
/// </summary>
internal static class GrpcRoutes
{
    public static GrpcRoute Of(HttpRoute route, RouteRuleWriter writer)
    {
        var rules = new List<GrpcRouteRule>();
        foreach (var rule in route.Spec.Rules ?? [])
        {
            if (rule.BackendRefs is null)
            {
                writer.Note("backend-protocol", MigrationNoteKind.NotMapped, "a GRPCRoute has no redirects: the Ingress's redirect rules are left out");
                continue;
            }

            var matches = new List<GrpcRouteMatch>();
            foreach (var match in rule.Matches ?? [])
            {
                if (Method(match.Path) is not { } method)
                {
                    writer.Note("backend-protocol", MigrationNoteKind.NotMapped, $"path {match.Path?.Value} is not /, /package.Service or an Exact /package.Service/Method: no GRPCRoute match says it");
                    continue;
                }

                matches.Add(new GrpcRouteMatch { Method = method.Service is null ? null : method, Headers = match.Headers });
            }

            if (rule.Filters?.Any(f => !Kept(f)) == true || rule.Timeouts is not null)
            {
                writer.Note("backend-protocol", MigrationNoteKind.NotMapped, "a GRPCRoute has no URLRewrite, redirect, CORS or timeouts: those of the Ingress are left out");
            }

            if (matches.Count > 0)
            {
                rules.Add(new GrpcRouteRule
                {
                    Matches = matches.All(m => m.Method is null && m.Headers is null) ? null : matches,
                    Filters = rule.Filters?.Where(Kept).ToList() is { Count: > 0 } kept ? kept : null,
                    BackendRefs = rule.BackendRefs,
                });
            }
        }

        return new GrpcRoute
        {
            Metadata = route.Metadata,
            Spec = new GrpcRouteSpec { ParentRefs = route.Spec.ParentRefs, Hostnames = route.Spec.Hostnames, Rules = rules },
        };
    }

    /// <summary>The filters a GRPCRoute rule has too.</summary>
    private static bool Kept(HttpRouteFilter filter) => filter.Type is "RequestHeaderModifier" or "ResponseHeaderModifier" or "RequestMirror";

    /// <summary>The method match of a path; a match without a service for <c>/</c>; null when no method match says the path.</summary>
    private static GrpcMethodMatch? Method(HttpPathMatch? path)
    {
        var value = path?.Value ?? "/";
        if (path?.Type == "RegularExpression")
        {
            return null;
        }

        var parts = value.Trim('/').Split('/');
        return (path?.Type, parts) switch
        {
            (_, [""]) when path?.Type != "Exact" => new GrpcMethodMatch(),
            ("PathPrefix" or null, [var service]) => new GrpcMethodMatch { Type = "Exact", Service = service },
            ("Exact", [var service, var method]) => new GrpcMethodMatch { Type = "Exact", Service = service, Method = method },
            _ => null,
        };
    }
}
