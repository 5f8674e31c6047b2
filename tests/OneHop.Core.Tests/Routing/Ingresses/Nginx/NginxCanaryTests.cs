using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Ingresses.Nginx;

/// <summary>
/// Canary Ingresses of the corpus (Corpus/canary.yaml): header first, then cookie, then the weighted split of the main
/// route; a canary without a main Ingress is reported and not routed.
/// </summary>
public sealed class NginxCanaryTests
{
    private static readonly Lazy<TranslationResult> Result = new(() => Translator.Translate(TranslatorInput.Of(
        GoldenCase.Load(Path.Combine(SourceTree.ProjectDirectory, "Routing", "Ingresses", "Nginx", "Corpus")).State,
        OneHopConfig.Default with { Ingress = new IngressSettings { AdoptIngressNginx = true } })));

    [Theory]
    [InlineData("/", "X-Canary: always", "default/other-svc:80")]
    [InlineData("/", "X-Canary: never", "default/http-svc:80")]
    [InlineData("/", "X-Canary: never|Cookie: canary=always", "default/http-svc:80")]
    [InlineData("/", "X-Canary: always|Cookie: canary=never", "default/other-svc:80")]
    [InlineData("/", "Cookie: a=1; canary=always; b=2", "default/other-svc:80")]
    [InlineData("/", "Cookie: canary=never", "default/http-svc:80")]
    [InlineData("/", "Cookie: notcanary=always", null)]
    [InlineData("/", "X-Canary: maybe", null)]
    [InlineData("/custom/x", "X-Region: eu-west", "default/hash-svc:80")]
    [InlineData("/custom/x", "X-Region: us-east", null)]
    [InlineData("/custom/x", "X-Canary: always", null)]
    public void Header_then_cookie_decide_before_the_weight(string path, string headers, string? backend)
    {
        var request = new Request(headers.Split('|').Select(h => h.Split(": ", 2)).ToDictionary(h => h[0], h => h[1], StringComparer.OrdinalIgnoreCase));
        var table = new RouteTable(Result.Value.Snapshot);
        var index = table.MatchIndex("canary.example.com", path, 80, request);
        Assert.NotEqual(RouteTable.NoMatch, index);
        var route = Result.Value.Snapshot.Routes[index];
        if (backend is null)
        {
            Assert.NotEmpty(route.Splits); // no decision: the weighted main route
        }
        else
        {
            Assert.Empty(route.Splits);
            Assert.Equal(backend, route.BackendId);
        }
    }

    [Fact]
    public void The_weight_splits_the_main_route()
    {
        var routes = Result.Value.Snapshot.Routes.Where(r => r.Host == "canary.example.com" && r.Conditions is null).ToDictionary(r => r.Path);
        Assert.Equal([new RouteBackend("default/http-svc:80", 70), new RouteBackend("default/other-svc:80", 30)], routes["/"].Splits);
        Assert.Equal([new RouteBackend("default/http-svc:80", 3), new RouteBackend("default/hash-svc:80", 1)], routes["/custom"].Splits);
    }

    [Fact]
    public void A_canary_without_a_main_ingress_is_reported_and_not_routed()
    {
        var warning = Assert.Single(Result.Value.Diagnostics, d => d.Object?.Name == "canary-orphan");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("no main Ingress", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Result.Value.Snapshot.Routes, r => r.Host == "orphan.example.com");
        Assert.DoesNotContain(Result.Value.Diagnostics, d => d.Object?.Name is "canary" or "canary-custom" or "production" && d.Severity != DiagnosticSeverity.Info);
    }

    [Fact]
    public void A_second_canary_of_the_same_route_is_reported_and_not_routed()
    {
        var warning = Assert.Single(Result.Value.Diagnostics, d => d.Object?.Name == "canary-second");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("already has a canary", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Result.Value.Snapshot.Routes, r => r.Splits.Any(s => s.BackendId == "default/sticky-svc:80"));
    }

    /// <summary>
    /// affinity-canary-behavior: sticky (the default) gives the canary the main Service's cookie on a backend of its own,
    /// so the canary's Service keeps its policy elsewhere; legacy, or a main Service without cookie affinity, changes nothing.
    /// </summary>
    [Theory]
    [InlineData(true, "cookie", true)]
    [InlineData(false, "cookie", false)]
    [InlineData(true, "round-robin", false)]
    public void A_sticky_canary_takes_the_main_service_s_affinity(bool sticky, string mainAlgorithm, bool copied)
    {
        var attributes = new Core.Configuration.Policies.AffinityCookieAttributes("/shop");
        var main = new Backend("default/stable:80", "stable", BackendKind.Service, BackendProtocol.Http, Core.Configuration.Policies.BackendPolicy.Default with { LoadBalancing = mainAlgorithm, AffinityCookie = "route", AffinityCookieAttributes = attributes }, []);
        var canary = new Backend("default/next:80", "next", BackendKind.Service, BackendProtocol.Http, Core.Configuration.Policies.BackendPolicy.Default, []);
        var result = NginxCanaryRoutes.WithAffinityOf(canary, main, new NginxCanary(50, 100, null, null, null, null) { StickyAffinity = sticky });
        if (!copied)
        {
            Assert.Same(canary, result);
            return;
        }

        Assert.Equal("default/next:80/canary-of:default/stable:80", result.Id);
        Assert.Equal(("cookie", "route", attributes), (result.Policy.LoadBalancing, result.Policy.AffinityCookie, result.Policy.AffinityCookieAttributes));
        Assert.Equal(canary.Policy with { LoadBalancing = "cookie", AffinityCookie = "route", AffinityCookieAttributes = attributes }, result.Policy);
    }

    [Theory]
    [InlineData("canary", "true", "yes")]
    [InlineData("canary-weight", "30", "-1")]
    [InlineData("canary-weight-total", "1000", "0")]
    [InlineData("canary-by-header", "X-Canary", "X Canary")]
    [InlineData("canary-by-header-value", "yes", "a\nb")]
    [InlineData("canary-by-header-pattern", "eu-.*", "(?<=a)b")]
    [InlineData("canary-by-cookie", "canary", "a;b")]
    [InlineData("affinity-canary-behavior", "legacy", "Sticky")]
    public void A_good_value_is_taken_and_a_bad_one_is_an_error(string name, string good, string bad)
    {
        var (settings, findings) = NginxAnnotationReader.Read(new Dictionary<string, string> { [NginxAnnotations.Prefix + "canary"] = "true", [NginxAnnotations.Prefix + name] = good });
        Assert.All(findings, f => Assert.Null(f.Problem));
        Assert.NotNull(settings.Canary);
        (_, findings) = NginxAnnotationReader.Read(new Dictionary<string, string> { [NginxAnnotations.Prefix + name] = bad });
        Assert.Contains(findings, f => f.Problem is not null);
    }

    private readonly record struct Request(Dictionary<string, string> Headers) : IRequestFacts
    {
        public string Method => "GET";

        public string? Header(string name) => Headers.GetValueOrDefault(name);

        public string? Query(string name) => null;
    }
}
