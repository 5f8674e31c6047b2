using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Tls;
using OneHop.Core.State;
using OneHop.Core.Tls;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>HTTP→HTTPS redirects: at the public port, never for ACME challenges, forced when TLS is in front.</summary>
public sealed class TlsPolicyMiddlewareTests
{
    private readonly HttpDataPlane _dataPlane = new(new EndpointRuntimeRegistry(TimeProvider.System));
    private readonly CertificateStore _certificates = new(new TlsOptions(), DefaultCertificate.Create(TimeProvider.System), NullLogger<CertificateStore>.Instance);

    [Theory]
    [InlineData(null, null, "https://shop.example.org/cart?item=7")] // listener on 8443: the public port is 443
    [InlineData(8443, null, "https://shop.example.org:8443/cart?item=7")]
    [InlineData(8443, 9443, "https://shop.example.org:9443/cart?item=7")] // the Ingress's annotation wins
    [InlineData(null, 443, "https://shop.example.org/cart?item=7")]
    public async Task Plain_http_is_redirected_to_the_public_https_port(int? configPort, int? annotationPort, string location)
    {
        Apply(configPort, new HostPolicy("shop.example.org", true) { RedirectPort = annotationPort });

        var (context, reachedPod) = await RunAsync("http", "/cart", "?item=7", httpsListener: 8443);

        Assert.False(reachedPod);
        Assert.Equal(StatusCodes.Status308PermanentRedirect, context.Response.StatusCode);
        Assert.Equal(location, context.Response.Headers.Location.ToString());
    }

    [Theory]
    [InlineData("/.well-known/acme-challenge/Zm9vYmFy", true)]
    [InlineData("/.well-known/acme-challenge", true)]
    [InlineData("/.well-known/acme-challengeX", false)]
    [InlineData("/.well-known/ACME-CHALLENGE/x", false)]
    [InlineData("/", false)]
    public async Task Acme_http01_challenges_are_never_redirected(string path, bool passes)
    {
        Apply(null, new HostPolicy("shop.example.org", true) { ForceSslRedirect = true });

        var (context, reachedPod) = await RunAsync("http", path, string.Empty, httpsListener: 8443);

        Assert.Equal(passes, reachedPod);
        Assert.Equal(passes ? StatusCodes.Status200OK : StatusCodes.Status308PermanentRedirect, context.Response.StatusCode);
    }

    [Fact]
    public async Task Without_an_https_listener_only_force_ssl_redirect_hosts_are_redirected()
    {
        Apply(null, new HostPolicy("tls.example.org", true), new HostPolicy("forced.example.org", true) { ForceSslRedirect = true });

        var (_, tlsReached) = await RunAsync("http", "/", string.Empty, httpsListener: null, host: "tls.example.org");
        var (forced, forcedReached) = await RunAsync("http", "/", string.Empty, httpsListener: null, host: "forced.example.org");

        Assert.True(tlsReached);
        Assert.False(forcedReached);
        Assert.Equal("https://forced.example.org/", forced.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task An_https_request_is_not_redirected_and_gets_hsts()
    {
        Apply(8443, new HostPolicy("shop.example.org", true, "max-age=60") { ForceSslRedirect = true });

        var (context, reachedPod) = await RunAsync("https", "/", string.Empty, httpsListener: 8443);

        Assert.True(reachedPod);
        Assert.Equal("max-age=60", context.Response.Headers.StrictTransportSecurity.ToString());
    }

    private void Apply(int? redirectPort, params HostPolicy[] policies) =>
        _dataPlane.Apply(new PublishedSnapshot(
            1,
            RoutingSnapshot.Empty with { HostPolicies = [.. policies] },
            OneHopConfig.Default with { Tls = TlsConfig.None with { RedirectPort = redirectPort } },
            ClusterState.Empty,
            []));

    private async Task<(HttpContext Context, bool ReachedPod)> RunAsync(string scheme, string path, string query, int? httpsListener, string host = "shop.example.org")
    {
        var reached = false;
        var middleware = new TlsPolicyMiddleware(
            _ =>
            {
                reached = true;
                return Task.CompletedTask;
            },
            _dataPlane,
            _certificates,
            new EdgeSettings { HttpsPort = httpsListener });
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        await middleware.InvokeAsync(context);
        return (context, reached);
    }
}
