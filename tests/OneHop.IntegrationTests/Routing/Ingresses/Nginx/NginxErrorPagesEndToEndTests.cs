using OneHop.Core.Proxy.Http;
using OneHop.IntegrationTests.Routing.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;
using static OneHop.IntegrationTests.Routing.Ingresses.Nginx.NginxManifests;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>custom-http-errors</c> and <c>default-backend</c> through a real OneHop to the echo pods, on both
/// HTTP/1.1 forwarders (OneHop's own and YARP's): a pod's answer of a listed status, and OneHop's own 503 after the
/// pods' 503s, replaced by the default backend's answer to <c>/</c> with the headers of ingress-nginx's error location;
/// a Service without endpoints sending its requests there as they are (test/e2e/annotations/default_backend.go).
/// </summary>
public sealed class NginxErrorPagesEndToEndTests(NginxErrorPagesEndToEndTests.Cluster cluster) : IClassFixture<NginxErrorPagesEndToEndTests.Cluster>
{
    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task A_pod_s_404_is_replaced_by_the_default_backend_s_answer_to_slash_with_ingress_nginx_s_headers(string forwarder)
    {
        var target = $"/retry?uuid={Guid.NewGuid():N}&succeedAfter=9&responseCode=404";
        var request = new ConformanceRequest(target, "errors.bar.com", Headers: ["Accept: application/json", "X-Request-ID: something-unique"]);

        var response = await cluster.SendAsync(forwarder, request, TestTimeouts.Token());

        // The default backend (infra-backend-v2) answers: its status and body are the client's, as nginx passes them.
        var echo = ConformanceAssert.Reached(response, request, InfraV2, path: "/" + target[target.IndexOf('?', StringComparison.Ordinal)..]);
        ConformanceAssert.HeadersAre(
            echo.Header,
            "the default backend's request",
            [
                "X-Code: 404",
                "X-Format: application/json",
                $"X-Original-URI: {target}",
                $"X-Namespace: {Infra}",
                "X-Ingress-Name: errors",
                $"X-Service-Name: {InfraV1}",
                "X-Service-Port: 8080",
                "X-Request-ID: something-unique",
            ],
            []);
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task OneHop_s_own_503_after_every_pod_answered_503_is_replaced_and_a_status_not_listed_passes(string forwarder)
    {
        var token = TestTimeouts.Token();
        var unavailable = new ConformanceRequest($"/retry?uuid={Guid.NewGuid():N}&succeedAfter=9&responseCode=503", "errors.bar.com");
        var echo = ConformanceAssert.Reached(await cluster.SendAsync(forwarder, unavailable, token), unavailable, InfraV2, path: "/" + unavailable.Path[unavailable.Path.IndexOf('?', StringComparison.Ordinal)..]);
        Assert.Equal("503", echo.Header("X-Code"));
        Assert.Matches("^[0-9a-f]{32}$", echo.Header("X-Request-ID") ?? string.Empty); // none sent: a new one, as nginx's $request_id

        var failed = await cluster.SendAsync(forwarder, new ConformanceRequest($"/retry?uuid={Guid.NewGuid():N}&succeedAfter=9&responseCode=500", "errors.bar.com"), token);
        Assert.Equal(500, failed.Status);
        Assert.Null(failed.Echo);
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task A_route_without_the_annotations_passes_the_pod_s_404(string forwarder)
    {
        var response = await cluster.SendAsync(forwarder, new ConformanceRequest($"/retry?uuid={Guid.NewGuid():N}&succeedAfter=9&responseCode=404", "plain.bar.com"), TestTimeouts.Token());
        Assert.Equal(404, response.Status);
        Assert.Null(response.Echo);
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task A_service_without_endpoints_sends_its_requests_to_the_default_backend_as_they_are(string forwarder)
    {
        // ingress-nginx's own e2e case: the Ingress's Service "invalid" does not exist.
        var request = new ConformanceRequest("/alma/armud", "default-backend.bar.com", Headers: ["X-Request-ID: something-unique"]);

        var response = await cluster.SendAsync(forwarder, request, TestTimeouts.Token());

        var echo = ConformanceAssert.Reached(response, request, InfraV2);
        ConformanceAssert.HeadersAre(
            echo.Header,
            "the default backend's request",
            ["X-Code: 503", "X-Ingress-Name: default-backend", "X-Service-Name: invalid", "X-Request-ID: something-unique"],
            ["X-Original-URI"]);
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task OneHop_s_own_504_after_proxy_read_timeout_is_replaced(string forwarder)
    {
        var request = new ConformanceRequest("/slow?delay=3s", "timeout-errors.bar.com");

        var response = await cluster.SendAsync(forwarder, request, TestTimeouts.Token());

        var echo = ConformanceAssert.Reached(response, request, InfraV2, path: "/?delay=3s");
        Assert.Equal("504", echo.Header("X-Code"));
        Assert.Equal("/slow?delay=3s", echo.Header("X-Original-URI"));
    }

    [Fact]
    public async Task While_the_default_backend_has_no_endpoint_the_pod_s_status_is_answered_by_onehop()
    {
        var response = await cluster.SendAsync("lean", new ConformanceRequest($"/retry?uuid={Guid.NewGuid():N}&succeedAfter=9&responseCode=404", "empty-errors.bar.com"), TestTimeouts.Token());

        Assert.Equal(404, response.Status);
        Assert.Null(response.Echo);
        Assert.Equal(ErrorCodes.UpstreamStatus, response.Header("X-OneHop-Error"));
    }

    [Fact]
    public async Task A_bad_custom_http_errors_keeps_the_last_good_one()
    {
        var token = TestTimeouts.Token();
        var onehop = cluster.OneHop("lean");
        await onehop.WriteManifestAsync("errors.yaml", Cluster.ErrorIngresses.Replace("\"404,503\"", "\"404,200\"", StringComparison.Ordinal), token);
        try
        {
            await OneHopInstance.EventuallyAsync(
                async () => (await onehop.StatusAsync(token)).ToString() is var status && status.Contains("LastGoodKept", StringComparison.Ordinal) && status.Contains("nginx.ingress.kubernetes.io/custom-http-errors", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10),
                "the bad custom-http-errors to be reported in /api/status",
                token);
            var request = new ConformanceRequest($"/retry?uuid={Guid.NewGuid():N}&succeedAfter=9&responseCode=404", "errors.bar.com");
            Assert.Equal("404", ConformanceAssert.Reached(await cluster.SendAsync("lean", request, token), request, InfraV2, path: "/" + request.Path[request.Path.IndexOf('?', StringComparison.Ordinal)..]).Header("X-Code"));
        }
        finally
        {
            await onehop.WriteManifestAsync("errors.yaml", Cluster.ErrorIngresses, token);
        }
    }

    /// <summary>Two OneHops on the same manifests, one per HTTP/1.1 forwarder.</summary>
    public sealed class Cluster(EchoBackends backends) : IAsyncLifetime
    {
        internal const int Port = 80;

        internal static readonly string ErrorIngresses = Stream(
            IngressClass,
            Ingress("errors", "errors.bar.com", InfraV1, ["custom-http-errors: \"404,503\"", $"default-backend: {InfraV2}"]),
            Ingress("default-backend", "default-backend.bar.com", "invalid", [$"default-backend: {InfraV2}"]),
            Ingress("plain", "plain.bar.com", InfraV1),
            Ingress("timeout-errors", "timeout-errors.bar.com", InfraV1, ["custom-http-errors: \"504\"", $"default-backend: {InfraV2}", "proxy-read-timeout: \"1\""]),
            Ingress("empty-errors", "empty-errors.bar.com", InfraV1, ["custom-http-errors: \"404\"", "default-backend: no-pods"]),
            $$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: no-pods
              namespace: {{Infra}}
            spec:
              ports: [{port: 80, targetPort: 8080}]
            """);

        private readonly Dictionary<string, (OneHopInstance OneHop, string Address)> _instances = [];

        /// <summary>The instance of <paramref name="forwarder"/>: <c>lean</c> (OneHop's own HTTP/1.1 forwarder) or <c>yarp</c>.</summary>
        internal OneHopInstance OneHop(string forwarder) => _instances[forwarder].OneHop;

        internal Task<GatewayResponse> SendAsync(string forwarder, ConformanceRequest request, CancellationToken cancellationToken) =>
            request.SendAsync(_instances[forwarder].OneHop.Proxy, _instances[forwarder].Address, Port, cancellationToken);

        public async ValueTask InitializeAsync()
        {
            var token = TestTimeouts.Token();
            var files = new Dictionary<string, string>
            {
                ["base.yaml"] = ConformanceGateway.Data("base.yaml"),
                ["slices.yaml"] = await backends.SlicesAsync(token),
                ["errors.yaml"] = ErrorIngresses,
            };
            foreach (var (name, forwarder) in new[] { ("lean", Http1ForwarderKind.Lean), ("yarp", Http1ForwarderKind.Yarp) })
            {
                var address = LoopbackAddresses.Next();
                var onehop = await OneHopInstance.StartAsync(
                    files,
                    token,
                    handler: new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false },
                    configure: o => o with { Http = [Core.Configuration.ListenAddress.Parse($"{address}:{Port}")], AdoptIngressNginx = true, Http1Forwarder = forwarder });
                _instances[name] = (onehop, address);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (onehop, _) in _instances.Values)
            {
                await onehop.DisposeAsync();
            }
        }
    }
}
