using System.Collections.Immutable;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// Turns a canary Ingress's rule into routes beside the main Ingress's route for the same host and path: one route per
/// header or cookie decision (header routes ranked before cookie routes, as ingress-nginx checks the header first), and
/// the weight as a split of the main route. Pure, like the translator that calls it.
/// </summary>
internal static class NginxCanaryRoutes
{
    /// <summary>The main route with the canary's weighted share, and the routes for the header and cookie decisions.</summary>
    public static (Route Main, ImmutableArray<Route> Extra) Build(Route main, string canaryBackendId, NginxCanary canary, string source)
    {
        var extra = ImmutableArray.CreateBuilder<Route>();
        var rank = main.Rank - 4;
        if (canary.Header is { } header)
        {
            if (canary.HeaderValue is { } value)
            {
                extra.Add(Decision(main, ValueMatch.Exact(header, value), canaryBackendId, "header", rank, source));
            }
            else if (canary.HeaderPattern is { } pattern)
            {
                extra.Add(Decision(main, ValueMatch.Regex(header, pattern, out _)!, canaryBackendId, "header", rank, source));
            }
            else
            {
                extra.Add(Decision(main, ValueMatch.Exact(header, "always"), canaryBackendId, "header", rank, source));
                extra.Add(Decision(main, ValueMatch.Exact(header, "never"), main.BackendId, "header-never", rank, source));
            }
        }

        if (canary.Cookie is { } cookie)
        {
            extra.Add(Decision(main, Cookie(cookie, "always"), canaryBackendId, "cookie", rank + 2, source));
            extra.Add(Decision(main, Cookie(cookie, "never"), main.BackendId, "cookie-never", rank + 2, source));
        }

        var weighted = canary.Weight == 0 ? main : main with
        {
            Splits = [new RouteBackend(main.BackendId, canary.WeightTotal - canary.Weight), new RouteBackend(canaryBackendId, canary.Weight)],
        };
        return (weighted, extra.ToImmutable());
    }

    /// <summary>
    /// The canary's backend under <c>affinity-canary-behavior: sticky</c> when <paramref name="main"/> balances by
    /// cookie: the main Service's cookie (name and attributes) on a backend of its own, so that other routes to the
    /// canary's Service keep their policy (ingress-nginx copies the main upstream's affinity onto the canary's).
    /// </summary>
    public static Backend WithAffinityOf(Backend canary, Backend? main, NginxCanary settings) =>
        !settings.StickyAffinity || main?.Policy.LoadBalancing != Configuration.Policies.BalancingAlgorithms.Cookie || canary.Problem is not null
            ? canary
            : canary with
            {
                Id = $"{canary.Id}/canary-of:{main.Id}",
                Policy = canary.Policy with { LoadBalancing = main.Policy.LoadBalancing, AffinityCookie = main.Policy.AffinityCookie, AffinityCookieAttributes = main.Policy.AffinityCookieAttributes },
            };

    /// <summary>The Cookie header holds <paramref name="name"/>=<paramref name="value"/> among its pairs.</summary>
    private static ValueMatch Cookie(string name, string value) =>
        ValueMatch.Regex("Cookie", $"(.*;[ ]*)?{System.Text.RegularExpressions.Regex.Escape(name)}={value}(;.*)?", out _)!;

    private static Route Decision(Route main, ValueMatch match, string backendId, string what, int rank, string source) =>
        main with
        {
            Id = $"{main.Id}/canary-{what}",
            BackendId = backendId,
            Source = source,
            Conditions = new RouteConditions(main.Conditions?.Method, [.. main.Conditions?.Headers ?? [], match], main.Conditions?.Query ?? [], main.Conditions?.PathRegex),
            Rank = rank,
            Splits = [],
        };
}
