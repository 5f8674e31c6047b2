using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.State;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's header settings as route header edits made at translation: an Ingress's custom-headers ConfigMap
/// (only names the controller ConfigMap's global-allowed-response-headers lists), and the controller ConfigMap's
/// add-headers, proxy-set-headers and hide-headers; a missing ConfigMap or a bad header is reported and the last good
/// headers stay.
/// </summary>
public sealed class NginxHeadersTests
{
    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static readonly OneHopConfig Config = OneHopConfig.Default with { Ingress = OneHopConfig.Default.Ingress with { NginxConfigMap = MapKey } };

    private const string Allowed = "global-allowed-response-headers: \"X-Using-Nginx-Controller,X-Frame-Options\"";

    [Fact]
    public void Custom_headers_of_the_ingress_s_configmap_are_set_on_its_responses_only()
    {
        var result = Translate(
            Controller(Allowed) + Map("default", "custom-headers", "X-Using-Nginx-Controller: \"true\"", "X-Frame-Options: DENY")
            + Ingress("app", "app.example.com", "custom-headers: default/custom-headers") + Ingress("plain", "plain.example.com", null));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        var edits = RouteOf(result, "app.example.com").Filters!.Response!;
        Assert.Equal([new("X-Frame-Options", "DENY"), new("X-Using-Nginx-Controller", "true")], edits.Set);
        Assert.Empty(edits.Remove);
        Assert.Null(RouteOf(result, "plain.example.com").Filters?.Response);
    }

    [Theory]
    [InlineData("X-Powered-By: PHP", "header X-Powered-By is not allowed")] // not in global-allowed-response-headers
    [InlineData("x-frame-options: DENY", "header x-frame-options is not allowed")] // ingress-nginx compares the names exactly
    [InlineData("\"X Frame\": DENY", "'X Frame' is not a header name")]
    [InlineData("X-Frame-Options: \"DENY\\tALL\"", "is not a header value ingress-nginx accepts")]
    public void A_refused_header_is_an_error_naming_the_annotation_and_the_last_good_headers_stay(string entry, string why)
    {
        var yaml = Controller(Allowed) + Ingress("app", "app.example.com", "custom-headers: default/custom-headers");
        var good = Translate(yaml + Map("default", "custom-headers", "X-Frame-Options: SAMEORIGIN"));
        Assert.Equal([new("X-Frame-Options", "SAMEORIGIN")], RouteOf(good, "app.example.com").Filters!.Response!.Set);

        var bad = Translate(yaml + Map("default", "custom-headers", entry), good.Memory);
        var error = Assert.Single(bad.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal((DiagnosticCodes.InvalidAnnotation, "metadata.annotations[nginx.ingress.kubernetes.io/custom-headers]", "Ingress default/app"), (error.Code, error.Field, error.Object?.ToString()));
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Contains(bad.Diagnostics, d => d.Code == DiagnosticCodes.LastGoodKept && d.Object?.ToString() == "Ingress default/app");
        Assert.Equal([new("X-Frame-Options", "SAMEORIGIN")], RouteOf(bad, "app.example.com").Filters!.Response!.Set);

        // With no good version yet the Ingress routes without the headers.
        Assert.Null(RouteOf(Translate(yaml + Map("default", "custom-headers", entry)), "app.example.com").Filters?.Response);
    }

    [Theory]
    [InlineData("default/absent", DiagnosticCodes.UnknownConfigMap, "ConfigMap default/absent does not exist")]
    [InlineData("other/custom-headers", DiagnosticCodes.InvalidAnnotation, "another namespace than the Ingress")]
    public void A_missing_or_foreign_configmap_is_reported_and_the_last_good_headers_stay(string map, string code, string why)
    {
        var good = Translate(Controller(Allowed) + Map("default", "custom-headers", "X-Frame-Options: DENY") + Ingress("app", "app.example.com", "custom-headers: default/custom-headers"));
        var bad = Translate(Controller(Allowed) + Map("other", "custom-headers", "X-Frame-Options: DENY") + Ingress("app", "app.example.com", $"custom-headers: {map}"), good.Memory);
        var error = Assert.Single(bad.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal((code, "metadata.annotations[nginx.ingress.kubernetes.io/custom-headers]"), (error.Code, error.Field));
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Equal([new("X-Frame-Options", "DENY")], RouteOf(bad, "app.example.com").Filters!.Response!.Set);
    }

    [Fact]
    public void An_edited_configmap_changes_the_headers_of_a_cached_ingress()
    {
        var cache = new TranslationCache();
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Controller(Allowed) + Ingress("app", "app.example.com", "custom-headers: default/custom-headers");
        var first = Translator.Translate(new TranslatorInput(Manifests.State(yaml + Map("default", "custom-headers", "X-Frame-Options: DENY")), Config, TranslationMemory.Empty) { Cache = cache });
        var second = Translator.Translate(new TranslatorInput(Manifests.State(yaml + Map("default", "custom-headers", "X-Frame-Options: SAMEORIGIN")), Config, first.Memory) { Cache = cache });
        Assert.Equal([new("X-Frame-Options", "SAMEORIGIN")], RouteOf(second, "app.example.com").Filters!.Response!.Set);
    }

    [Fact]
    public void Controller_header_maps_apply_to_every_ingress_and_custom_headers_win_for_the_same_name()
    {
        var result = Translate(
            Controller(Allowed, "add-headers: ingress-nginx/add", "proxy-set-headers: ingress-nginx/set", "hide-headers: \"Server, X-Powered-By, X-Frame-Options\"")
            + Map("ingress-nginx", "add", "X-Frame-Options: SAMEORIGIN", "X-Content-Type-Options: nosniff")
            + Map("ingress-nginx", "set", "X-Tenant: shop", "X-Request-Start: \"t=${msec}\"")
            + Map("default", "custom-headers", "X-Frame-Options: DENY")
            + Ingress("app", "app.example.com", "custom-headers: default/custom-headers") + Ingress("plain", "plain.example.com", "x-forwarded-prefix: /plain"));

        // The value with an nginx variable is left out, with a warning on the controller ConfigMap.
        var warning = Assert.Single(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        Assert.Equal((DiagnosticSeverity.Warning, "data[proxy-set-headers]", $"ConfigMap {MapKey}"), (warning.Severity, warning.Field, warning.Object?.ToString()));
        Assert.Contains("X-Request-Start", warning.Message, StringComparison.Ordinal);

        var app = RouteOf(result, "app.example.com").Filters!;
        Assert.Equal([new("X-Tenant", "shop")], app.Request!.Set);
        Assert.Equal([new("X-Content-Type-Options", "nosniff"), new("X-Frame-Options", "DENY")], app.Response!.Set);
        Assert.Equal(["Server", "X-Powered-By"], app.Response.Remove); // a header OneHop sets is not hidden

        var plain = RouteOf(result, "plain.example.com").Filters!;
        Assert.Equal([new("X-Forwarded-Prefix", "/plain"), new("X-Tenant", "shop")], plain.Request!.Set);
        Assert.Equal([new("X-Content-Type-Options", "nosniff"), new("X-Frame-Options", "SAMEORIGIN")], plain.Response!.Set);
    }

    [Fact]
    public void A_missing_or_bad_controller_header_map_is_reported_and_its_last_good_headers_stay()
    {
        var yaml = Controller("add-headers: ingress-nginx/add") + Ingress("plain", "plain.example.com", null);
        var good = Translate(yaml + Map("ingress-nginx", "add", "X-Frame-Options: DENY"));
        Assert.Equal([new("X-Frame-Options", "DENY")], RouteOf(good, "plain.example.com").Filters!.Response!.Set);

        var missing = Translate(yaml, good.Memory);
        var error = Assert.Single(missing.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal((DiagnosticCodes.UnknownConfigMap, "data[add-headers]"), (error.Code, error.Field));
        Assert.Contains(missing.Diagnostics, d => d.Code == DiagnosticCodes.LastGoodKept && d.Object?.ToString() == $"ConfigMap {MapKey}");
        Assert.Equal([new("X-Frame-Options", "DENY")], RouteOf(missing, "plain.example.com").Filters!.Response!.Set);

        var bad = Translate(yaml + Map("ingress-nginx", "add", "\"X Frame\": DENY"), missing.Memory);
        Assert.Equal(DiagnosticCodes.InvalidConfigMapEntry, Assert.Single(bad.Diagnostics, d => d.Severity == DiagnosticSeverity.Error).Code);
        Assert.Equal([new("X-Frame-Options", "DENY")], RouteOf(bad, "plain.example.com").Filters!.Response!.Set);

        // Without a good version, nothing is added.
        Assert.Null(RouteOf(Translate(yaml), "plain.example.com").Filters?.Response);
    }

    private const string AuthUrl = "auth-url: http://auth.example.com/check";

    private const string AuthHeaders = "\n    nginx.ingress.kubernetes.io/auth-proxy-set-headers: ";

    [Fact]
    public void Auth_proxy_set_headers_become_the_headers_of_the_auth_subrequest()
    {
        var result = Translate(
            Controller(Allowed) + Map("default", "auth-headers", "X-Auth-Source: onehop", "X-Original-Host: $host", "Authorization: \"\"")
            + Ingress("app", "app.example.com", AuthUrl + AuthHeaders + "default/auth-headers")
            + Ingress("plain", "plain.example.com", "auth-proxy-set-headers: default/auth-headers"));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        var auth = RouteOf(result, "app.example.com").Filters!.ExternalAuth!;
        Assert.Equal([new("Authorization", ""), new("X-Auth-Source", "onehop"), new("X-Original-Host", "$host")], auth.RequestHeaders);

        // Without auth-url there is no subrequest, so the annotation does nothing, as in ingress-nginx.
        Assert.Null(RouteOf(result, "plain.example.com").Filters?.ExternalAuth);
    }

    [Theory]
    [InlineData("default/auth-headers", "X-Client: $request_body", DiagnosticCodes.InvalidAnnotation, "$request_body is not an nginx variable OneHop fills in")]
    [InlineData("default/auth-headers", "\"X Client\": a", DiagnosticCodes.InvalidAnnotation, "'X Client' is not a header name")]
    [InlineData("default/auth-headers", "X-Client: \"a\\x01b\"", DiagnosticCodes.InvalidAnnotation, "no control characters")]
    [InlineData("default/absent", "X-Client: a", DiagnosticCodes.UnknownConfigMap, "ConfigMap default/absent does not exist")]
    [InlineData("other/auth-headers", "X-Client: a", DiagnosticCodes.InvalidAnnotation, "another namespace than the Ingress")]
    public void A_bad_auth_proxy_set_headers_map_is_an_error_naming_the_annotation_and_the_last_good_headers_stay(string map, string entry, string code, string why)
    {
        var good = Translate(Map("default", "auth-headers", "X-Client: good") + Ingress("app", "app.example.com", AuthUrl + AuthHeaders + "default/auth-headers"));
        Assert.Equal([new("X-Client", "good")], RouteOf(good, "app.example.com").Filters!.ExternalAuth!.RequestHeaders);

        var yaml = Map("default", "auth-headers", entry) + Map("other", "auth-headers", entry) + Ingress("app", "app.example.com", AuthUrl + AuthHeaders + map);
        var bad = Translate(yaml, good.Memory);
        var error = Assert.Single(bad.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal((code, "metadata.annotations[nginx.ingress.kubernetes.io/auth-proxy-set-headers]", "Ingress default/app"), (error.Code, error.Field, error.Object?.ToString()));
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Contains(bad.Diagnostics, d => d.Code == DiagnosticCodes.LastGoodKept && d.Object?.ToString() == "Ingress default/app");
        Assert.Equal([new("X-Client", "good")], RouteOf(bad, "app.example.com").Filters!.ExternalAuth!.RequestHeaders);

        // With no good version yet the Ingress routes with its auth-url and without the headers.
        Assert.Empty(RouteOf(Translate(yaml), "app.example.com").Filters!.ExternalAuth!.RequestHeaders);
    }

    private static TranslationResult Translate(string yaml, TranslationMemory? memory = null) =>
        Translator.Translate(new TranslatorInput(Manifests.State(Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + yaml), Config, memory ?? TranslationMemory.Empty));

    private static Route RouteOf(TranslationResult result, string host) => Assert.Single(result.Snapshot.Routes, r => r.Host == host);

    private static string Controller(params string[] data) => Map(MapKey.Namespace, MapKey.Name, data);

    private static string Map(string ns, string name, params string[] data) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        data:
        {string.Concat(data.Select(d => $"  {d}\n"))}
        ---

        """;

    private static string Ingress(string name, string host, string? annotation) => $"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {name}
          namespace: default
          annotations:
            {(annotation is null ? "x: y" : "nginx.ingress.kubernetes.io/" + annotation)}
        spec:
          rules:
          - host: {host}
            http:
              paths: [{"{"}path: /, pathType: Prefix, backend: {"{"}service: {"{"}name: web, port: {"{"}number: 80{"}"}{"}"}{"}"}{"}"}]
        ---

        """;
}
