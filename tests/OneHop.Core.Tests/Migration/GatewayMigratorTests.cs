using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Diagnostics;
using OneHop.Core.Migration;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Migration;

/// <summary>
/// The Gateway API conversion of ingress-nginx's documentation corpus, loaded back into OneHop, routes as the Ingresses
/// do: the same backends (weights included), the same path to the pod, the same redirects; and what does not map is
/// named, per Ingress and annotation, in the notes and as comments on the routes.
/// </summary>
public sealed class GatewayMigratorTests
{
    [Fact]
    public void The_written_objects_load_into_onehop_without_errors_but_the_corpus_s_own_missing_service()
    {
        var errors = GatewayMigrationCorpus.Gateways.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => $"{d.Code} {d.Object}").ToList();
        Assert.Equal(["UnresolvedBackend HTTPRoute default/default-backend-default-backend-example-com"], errors);
        Assert.Contains(GatewayMigrationCorpus.Ingresses.Diagnostics, d => d.Message.Contains("default/invalid", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("rewrite.bar.com", "/something")]
    [InlineData("rewrite.bar.com", "/something/")]
    [InlineData("rewrite.bar.com", "/something/new")]
    [InlineData("rewrite.bar.com", "/something/new?q=1")]
    [InlineData("rewrite.bar.com", "/somethingelse")]
    [InlineData("rewrite.bar.com", "/exact")]
    [InlineData("approot.bar.com", "/app1/x")]
    [InlineData("stickyingress.example.com", "/")]
    [InlineData("vhost.example.com", "/a")]
    [InlineData("longpoll.example.com", "/")]
    [InlineData("cors.example.com", "/x")]
    [InlineData("proxyssl.example.com", "/")]
    [InlineData("allow.example.com", "/")]
    [InlineData("unsupported.example.com", "/")]
    [InlineData("bad.example.com", "/a")]
    [InlineData("canary.example.com", "/")]
    [InlineData("canary.example.com", "/custom/x")]
    [InlineData("canary.example.com", "/", "X-Canary", "always")]
    [InlineData("canary.example.com", "/", "X-Canary", "never")]
    [InlineData("canary.example.com", "/", "Cookie", "a=b; canary=always")]
    [InlineData("canary.example.com", "/", "Cookie", "canary=never")]
    [InlineData("canary.example.com", "/custom", "X-Region", "eu-west")]
    [InlineData("canary.example.com", "/custom", "X-Region", "us-east")]
    public void Requests_reach_the_same_backends_with_the_same_path(string host, string target, string? header = null, string? value = null)
    {
        var (ingress, ingressContext) = Route(GatewayMigrationCorpus.Ingresses, host, target, header, value);
        var (gateway, gatewayContext) = Route(GatewayMigrationCorpus.Gateways, host, target, header, value);
        Assert.Null(ingress.Filters?.Redirect);
        Assert.Null(gateway.Filters?.Redirect);
        Assert.Equal(Backends(ingress), Backends(gateway));
        Assert.Equal(PodTarget(ingress, ingressContext), PodTarget(gateway, gatewayContext));
    }

    [Theory]
    [InlineData("approot.bar.com", "/")]
    [InlineData("permanent.bar.com", "/any/path")]
    [InlineData("temporal.bar.com", "/cart")]
    public async Task Redirects_answer_the_same_status_and_location(string host, string target)
    {
        var (ingress, ingressContext) = Route(GatewayMigrationCorpus.Ingresses, host, target);
        var (gateway, gatewayContext) = Route(GatewayMigrationCorpus.Gateways, host, target);
        await RouteFilterActions.RedirectAsync(ingressContext, ingress, ingress.Filters!.Redirect!);
        await RouteFilterActions.RedirectAsync(gatewayContext, gateway, gateway.Filters!.Redirect!);
        Assert.Equal(ingressContext.Response.StatusCode, gatewayContext.Response.StatusCode);

        // temporal-redirect's query (?from=shop) is the one part a RequestRedirect cannot write: it is noted as not mapped.
        var expected = new Uri(ingressContext.Response.Headers.Location.ToString());
        Assert.Equal(expected.GetLeftPart(UriPartial.Path).TrimEnd('/'), new Uri(gatewayContext.Response.Headers.Location.ToString()).GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    [Fact]
    public void Grpc_backends_become_a_grpc_route_to_the_same_service()
    {
        var route = Assert.Single(GatewayMigrationCorpus.Gateways.Snapshot.Routes, r => r.Host == "grpc.example.com");
        Assert.Equal("grpc:default/other-svc:80", Backends(route)); // the Ingress's: default/other-svc:80@h2c
        Assert.Contains(GatewayMigrationCorpus.Migration.Objects, o => o.Object is Core.State.GatewayApi.GrpcRoute { Metadata.Name: "grpc-grpc-example-com" });
    }

    [Theory]
    [InlineData("default/ingress-with-auth", "auth-type", "Gateway API has no basic authentication")]
    [InlineData("default/external-auth", "auth-url", "ExternalAuth")]
    [InlineData("default/rate-limited", "limit-rps", "no rate or connection limits")]
    [InlineData("default/nginx-test", "affinity", "affinity")]
    [InlineData("default/unsupported", "configuration-snippet", "never carried over")]
    [InlineData("default/unsupported", "made-up-annotation", "not an ingress-nginx annotation")]
    [InlineData("default/custom-errors", "custom-http-errors", "no error pages")]
    [InlineData("default/temporal", "temporal-redirect", "?from=shop")]
    [InlineData("default/canary-orphan", "canary", "no main Ingress serves host 'orphan.example.com'")]
    [InlineData("default/canary-second", "canary", "already has a canary")]
    [InlineData("default/force-ssl", "force-ssl-redirect", "no TLS here")]
    public void What_does_not_map_is_noted_with_the_ingress_the_annotation_and_why(string ingress, string annotation, string why)
    {
        var note = Assert.Single(GatewayMigrationCorpus.Migration.Notes, n => $"{n.Ingress.Namespace}/{n.Ingress.Name}" == ingress && n.Field == $"metadata.annotations[nginx.ingress.kubernetes.io/{annotation}]" && n.Kind == MigrationNoteKind.NotMapped);
        Assert.Contains(why, note.Message, StringComparison.Ordinal);
        Assert.True(GatewayMigrationCorpus.Migration.Incomplete);
        if (annotation != "canary")
        {
            // On the Ingress's route, as a YAML comment; a canary that merged nowhere has no route to carry it.
            Assert.Contains(GatewayMigrationCorpus.Migration.Objects, o => o.Comments.Contains(note.ToString()));
        }
    }

    private static string Backends(Route route) => route.Splits.IsEmpty
        ? Service(route.BackendId ?? string.Empty)
        : string.Join(", ", route.Splits.Select(s => $"{Service(s.BackendId ?? string.Empty)}={s.Weight}"));

    /// <summary>The Service and port of a backend id, without the protocol and TLS OneHop adds to it.</summary>
    private static string Service(string backendId) => backendId.Split('@')[0];

    private static string PodTarget(Route route, DefaultHttpContext context)
    {
        if (route.Filters is { } filters)
        {
            RouteFilterActions.ApplyToRequest(context, new ProxyRequest(context), route, filters);
        }

        return context.Features.Get<IHttpRequestFeature>()!.RawTarget;
    }

    private static (Route Route, DefaultHttpContext Context) Route(TranslationResult result, string host, string target, string? header = null, string? value = null)
    {
        var context = new DefaultHttpContext();
        var q = target.IndexOf('?', StringComparison.Ordinal);
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(host);
        context.Request.Path = q < 0 ? target : target[..q];
        context.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(target[q..]);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (header is not null)
        {
            headers[header] = value!;
            context.Request.Headers[header] = value;
        }

        var table = new RouteTable(result.Snapshot);
        var index = table.MatchIndex(host, context.Request.Path.Value, 80, new Request(headers));
        Assert.True(index != RouteTable.NoMatch, $"no route for {host}{target}");
        return (table.Routes[index], context);
    }

    private readonly record struct Request(Dictionary<string, string> Headers) : IRequestFacts
    {
        public string Method => "GET";

        public string? Header(string name) => Headers.GetValueOrDefault(name);

        public string? Query(string name) => null;
    }
}
