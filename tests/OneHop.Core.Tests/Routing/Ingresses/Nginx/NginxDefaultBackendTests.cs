using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Ingresses.Nginx;

/// <summary>
/// An Ingress's spec.defaultBackend as the catch-all route: with no rules its annotations shape that route, as
/// ingress-nginx applies them to the catch-all location (locationApplyAnnotations); with rules it lends only its Service.
/// </summary>
public sealed class NginxDefaultBackendTests
{
    private const string Annotations = "nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8\n    nginx.ingress.kubernetes.io/enable-cors: \"true\"\n    nginx.ingress.kubernetes.io/limit-rps: \"5\"";

    private const string Redirects = "\n    nginx.ingress.kubernetes.io/rewrite-target: /app\n    nginx.ingress.kubernetes.io/permanent-redirect: https://example.com";

    [Fact]
    public void The_annotations_of_an_ingress_without_rules_shape_the_catch_all_route()
    {
        var result = Translate(Ingress("catch-all", Annotations + Redirects, rules: false));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);

        var filters = DefaultRoute(result).Filters!;
        Assert.Equal(["10.0.0.0/8"], filters.SourceRanges!.Allow);
        Assert.NotNull(filters.Cors);
        Assert.NotNull(filters.RateLimit);

        // ingress-nginx puts the catch-all location's redirect and rewrite back after applying the annotations.
        Assert.Null(filters.Redirect);
        Assert.Null(filters.Rewrite);
    }

    [Fact]
    public void An_ingress_with_rules_lends_the_catch_all_route_its_service_only()
    {
        var result = Translate(Ingress("shop", Annotations, rules: true));

        Assert.Null(DefaultRoute(result).Filters);
        Assert.Equal(["10.0.0.0/8"], Assert.Single(result.Snapshot.Routes, r => r.Host == "shop.example.com").Filters!.SourceRanges!.Allow);
    }

    [Fact]
    public void Without_annotations_the_catch_all_route_has_no_filters() =>
        Assert.Null(DefaultRoute(Translate(Ingress("catch-all", "x: y", rules: false))).Filters);

    private static Route DefaultRoute(TranslationResult result) => result.Snapshot.DefaultRoute ?? throw new Xunit.Sdk.XunitException("no default route");

    private static TranslationResult Translate(string yaml) =>
        Translator.Translate(new TranslatorInput(Manifests.State(Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + yaml), OneHopConfig.Default, TranslationMemory.Empty));

    private static string Ingress(string name, string annotations, bool rules) => $"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {name}
          namespace: default
          annotations:
            {annotations}
        spec:
          defaultBackend: {"{"}service: {"{"}name: web, port: {"{"}number: 80{"}"}{"}"}{"}"}
        {(rules ? "  rules:\n  - host: shop.example.com\n    http:\n      paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]" : string.Empty)}
        ---

        """;
}
