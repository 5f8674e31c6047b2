using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>custom-http-errors</c> and <c>default-backend</c>: the values its validators take, and the routes'
/// error pages when the errors go to OneHop's own default backend (ingress-nginx's global one). The corpus
/// (<see cref="NginxCorpusTests"/>) has the documentation's examples; NginxErrorPagesEndToEndTests the requests.
/// </summary>
public sealed class NginxErrorPagesTests
{
    [Theory]
    [InlineData("404,503", new[] { 404, 503 })]
    [InlineData("503, 404,404", new[] { 404, 503 })] // spaces allowed and a code given twice counts once, as in ingress-nginx
    [InlineData("400,599,", new[] { 400, 599 })]
    public void Custom_http_errors_reads_statuses_from_400_to_599(string value, int[] codes)
    {
        var (settings, findings) = Read("custom-http-errors", value);
        Assert.Null(Assert.Single(findings).Problem);
        Assert.Equal(codes, settings.CustomHttpErrors.ToArray());
    }

    [Theory]
    [InlineData("200")]
    [InlineData("600")]
    [InlineData("4O4")]
    [InlineData("0404")]
    [InlineData("404;503")]
    [InlineData(",")]
    [InlineData("")]
    public void A_bad_custom_http_errors_is_an_error_and_sets_nothing(string value)
    {
        var (settings, findings) = Read("custom-http-errors", value);
        Assert.NotNull(Assert.Single(findings).Problem);
        Assert.Empty(settings.CustomHttpErrors);
    }

    [Theory]
    [InlineData("nginx-errors", true)]
    [InlineData("e", true)]
    [InlineData("Nginx-Errors", false)]
    [InlineData("default/nginx-errors", false)] // a Service of the Ingress's own namespace only
    [InlineData("1errors", false)] // a DNS-1035 label starts with a letter
    [InlineData("nginx-errors.default", false)]
    [InlineData("errors-", false)]
    public void Default_backend_is_a_service_name_as_ingress_nginx_validates_it(string value, bool good)
    {
        var (settings, findings) = Read("default-backend", value);
        Assert.Equal(good, Assert.Single(findings).Problem is null);
        Assert.Equal(good ? value : null, settings.DefaultBackend);
    }

    [Fact]
    public void Without_default_backend_the_errors_go_to_onehop_s_default_backend()
    {
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Manifests.Service("errors", "10.0.0.9") + """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: fallback, namespace: default}
            spec:
              defaultBackend: {service: {name: errors, port: {number: 80}}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: shop
              namespace: default
              annotations: {nginx.ingress.kubernetes.io/custom-http-errors: "404"}
            spec:
              rules:
              - host: shop.example.com
                http:
                  paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]
            """)));

        var route = Assert.Single(result.Snapshot.Routes);
        Assert.Equal(new RouteErrorPages("default/errors:80", [404], false, "default", "shop", "web", "80"), route.Filters?.ErrorPages);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
    }

    private static (NginxSettings Settings, System.Collections.Immutable.ImmutableArray<NginxFinding> Findings) Read(string name, string value) =>
        NginxAnnotationReader.Read(new Dictionary<string, string> { [NginxAnnotations.Prefix + name] = value });
}
