using OneHop.IntegrationTests.Routing.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx Ingresses from its documentation, served unchanged by a real OneHop adopting the <c>nginx</c> class, to
/// the echo pods: the pod reached, the path it got, and the status and Location of redirects, over real sockets.
/// </summary>
public sealed class NginxEndToEndTests(NginxEndToEndTests.Cluster cluster) : IClassFixture<NginxEndToEndTests.Cluster>
{
    [Theory]
    [InlineData("rewrite.bar.com", "/something", InfraV1, "/")]
    [InlineData("rewrite.bar.com", "/something/new?x=1", InfraV1, "/new?x=1")]
    [InlineData("rewrite.bar.com", "/Something/deep/path", InfraV1, "/deep/path")]
    [InlineData("rewrite.bar.com", "/somethingelse", InfraV2, "/somethingelse")]
    [InlineData("rewrite.bar.com", "/v2/users", InfraV2, "/v2/users")]
    [InlineData("approot.bar.com", "/app1/page", InfraV1, "/app1/page")]
    [InlineData("vhost.bar.com", "/a", InfraV2, "/a")]
    public async Task The_pod_gets_the_path_ingress_nginx_would_send(string host, string path, string backend, string podPath)
    {
        var request = new ConformanceRequest(path, host);
        var response = await request.SendAsync(cluster.OneHop.Proxy, cluster.Address, Cluster.Port, TestTimeouts.Token());
        ConformanceAssert.Reached(response, request, backend, path: podPath, host: host == "vhost.bar.com" ? "internal.example.com" : host);
    }

    [Fact]
    public async Task Upstream_vhost_and_x_forwarded_prefix_reach_the_pod()
    {
        var request = new ConformanceRequest("/a", "vhost.bar.com");
        var response = await request.SendAsync(cluster.OneHop.Proxy, cluster.Address, Cluster.Port, TestTimeouts.Token());
        var echo = ConformanceAssert.Reached(response, request, InfraV2, path: "/a", host: "internal.example.com");
        Assert.Equal("/path", echo.Header("X-Forwarded-Prefix"));
    }

    [Theory]
    [InlineData("approot.bar.com", "/", 302, "http://approot.bar.com/app1")]
    [InlineData("permanent.bar.com", "/old/page?q=1", 308, "https://www.google.com")]
    [InlineData("foo.bar.com", "/a?b=c", 308, "http://www.foo.bar.com/a?b=c")]
    public async Task Redirects_have_ingress_nginx_status_and_location(string host, string path, int status, string location)
    {
        var response = await new ConformanceRequest(path, host).SendAsync(cluster.OneHop.Proxy, cluster.Address, Cluster.Port, TestTimeouts.Token());
        Assert.Equal(status, response.Status);
        Assert.Equal(new Uri(location), response.Location); // HttpClient normalizes; NginxCorpusTests checks the exact text
    }

    [Theory]
    [InlineData(InfraV2, "X-Canary: always")]
    [InlineData(InfraV1, "X-Canary: never")]
    [InlineData(InfraV1, "X-Canary: never", "Cookie: canary=always")]
    [InlineData(InfraV2, "Cookie: a=1; canary=always")]
    [InlineData(InfraV1, "Cookie: canary=never")]
    public async Task A_canary_header_then_cookie_choose_the_service(string backend, params string[] headers)
    {
        var token = TestTimeouts.Token();
        for (var i = 0; i < 10; i++)
        {
            var request = new ConformanceRequest("/c", "canary.bar.com", Headers: headers);
            ConformanceAssert.Reached(await request.SendAsync(cluster.OneHop.Proxy, cluster.Address, Cluster.Port, token), request, backend);
        }
    }

    [Fact]
    public async Task A_canary_weight_of_30_takes_about_30_percent()
    {
        const int Requests = 400;
        var token = TestTimeouts.Token();
        var canary = 0;
        var request = new ConformanceRequest("/w", "canary.bar.com", Headers: ["X-Canary: maybe"]);
        for (var i = 0; i < Requests; i++)
        {
            var response = await request.SendAsync(cluster.OneHop.Proxy, cluster.Address, Cluster.Port, token);
            Assert.True(response is { Status: 200, Echo: not null }, $"{request}: got {response}");
            canary += response.Echo.Pod.StartsWith(InfraV2 + "-", StringComparison.Ordinal) ? 1 : 0;
        }

        // 30% of 400 is 120; ±40 is over four standard deviations of a random split.
        Assert.InRange(canary, 80, 160);
    }

    [Fact]
    public async Task A_cors_preflight_is_answered_204_by_onehop_and_responses_carry_the_origin()
    {
        var token = TestTimeouts.Token();
        var preflight = await new ConformanceRequest("/api", "cors.bar.com", "OPTIONS", ["Origin: https://shop.example.org", "Access-Control-Request-Method: PUT"])
            .SendAsync(cluster.OneHop.Proxy, cluster.Address, Cluster.Port, token);
        Assert.Equal(204, preflight.Status);
        Assert.Null(preflight.Echo); // answered by OneHop, not the pod
        Assert.Equal("https://shop.example.org", preflight.Header("Access-Control-Allow-Origin"));
        Assert.Equal("true", preflight.Header("Access-Control-Allow-Credentials"));
        Assert.Equal("GET, PUT, POST, DELETE, PATCH, OPTIONS", preflight.Header("Access-Control-Allow-Methods"));
        Assert.Equal("600", preflight.Header("Access-Control-Max-Age"));

        var request = new ConformanceRequest("/api", "cors.bar.com", Headers: ["Origin: https://app.bar.com"]);
        var response = await request.SendAsync(cluster.OneHop.Proxy, cluster.Address, Cluster.Port, token);
        ConformanceAssert.Reached(response, request, InfraV1);
        Assert.Equal("https://app.bar.com", response.Header("Access-Control-Allow-Origin"));
        Assert.Equal("X-Custom", response.Header("Access-Control-Expose-Headers"));

        var stranger = new ConformanceRequest("/api", "cors.bar.com", "OPTIONS", ["Origin: https://evil.com"]);
        var refused = await stranger.SendAsync(cluster.OneHop.Proxy, cluster.Address, Cluster.Port, token);
        Assert.NotEqual(204, refused.Status); // not a preflight OneHop answers: the pod gets it
        Assert.Null(refused.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_bad_annotation_leaves_the_last_good_routing_live_and_is_reported()
    {
        var token = TestTimeouts.Token();
        await cluster.OneHop.WriteManifestAsync("approot.yaml", Cluster.AppRoot.Replace("/app1", "app1 ; return 200", StringComparison.Ordinal), token);
        await OneHopInstance.EventuallyAsync(
            async () => (await cluster.OneHop.StatusAsync(token)).ToString() is var status && status.Contains("LastGoodKept", StringComparison.Ordinal) && status.Contains("nginx.ingress.kubernetes.io/app-root", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the bad app-root to be reported in /api/status",
            token);
        var response = await new ConformanceRequest("/", "approot.bar.com").SendAsync(cluster.OneHop.Proxy, cluster.Address, Cluster.Port, token);
        Assert.Equal(302, response.Status);
        Assert.Equal("http://approot.bar.com/app1", response.Location?.ToString());
        await cluster.OneHop.WriteManifestAsync("approot.yaml", Cluster.AppRoot, token);
    }

    public sealed class Cluster(EchoBackends backends) : IAsyncLifetime
    {
        internal const string AppRoot = $$"""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: approot
              namespace: {{Infra}}
              annotations:
                nginx.ingress.kubernetes.io/app-root: /app1
            spec:
              ingressClassName: nginx
              rules:
              - host: approot.bar.com
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: {{InfraV1}}, port: {number: 8080 } } } }
            """;

        private const string Ingresses = $$"""
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata:
              name: nginx
            spec:
              controller: k8s.io/ingress-nginx
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: rewrite
              namespace: {{Infra}}
              annotations:
                nginx.ingress.kubernetes.io/use-regex: "true"
                nginx.ingress.kubernetes.io/rewrite-target: /$2
            spec:
              ingressClassName: nginx
              rules:
              - host: rewrite.bar.com
                http:
                  paths:
                  - {path: /something(/|$)(.*), pathType: ImplementationSpecific, backend: {service: {name: {{InfraV1}}, port: {number: 8080 } } } }
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: rewrite-neighbour
              namespace: {{Infra}}
            spec:
              ingressClassName: nginx
              rules:
              - host: rewrite.bar.com
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: {{InfraV2}}, port: {number: 8080 } } } }
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: redirects
              namespace: {{Infra}}
              annotations:
                nginx.ingress.kubernetes.io/permanent-redirect: https://www.google.com
                nginx.ingress.kubernetes.io/permanent-redirect-code: "308"
            spec:
              ingressClassName: nginx
              rules:
              - host: permanent.bar.com
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: {{InfraV1}}, port: {number: 8080 } } } }
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: www
              namespace: {{Infra}}
              annotations:
                nginx.ingress.kubernetes.io/from-to-www-redirect: "true"
            spec:
              ingressClassName: nginx
              rules:
              - host: www.foo.bar.com
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: {{InfraV1}}, port: {number: 8080 } } } }
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: vhost
              namespace: {{Infra}}
              annotations:
                nginx.ingress.kubernetes.io/upstream-vhost: internal.example.com
                nginx.ingress.kubernetes.io/x-forwarded-prefix: /path
            spec:
              ingressClassName: nginx
              rules:
              - host: vhost.bar.com
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: {{InfraV2}}, port: {number: 8080 } } } }
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: production
              namespace: {{Infra}}
            spec:
              ingressClassName: nginx
              rules:
              - host: canary.bar.com
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: {{InfraV1}}, port: {number: 8080 } } } }
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: canary
              namespace: {{Infra}}
              annotations:
                nginx.ingress.kubernetes.io/canary: "true"
                nginx.ingress.kubernetes.io/canary-weight: "30"
                nginx.ingress.kubernetes.io/canary-by-header: X-Canary
                nginx.ingress.kubernetes.io/canary-by-cookie: canary
            spec:
              ingressClassName: nginx
              rules:
              - host: canary.bar.com
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: {{InfraV2}}, port: {number: 8080 } } } }
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: cors
              namespace: {{Infra}}
              annotations:
                nginx.ingress.kubernetes.io/enable-cors: "true"
                nginx.ingress.kubernetes.io/cors-allow-origin: "https://app.bar.com, https://*.example.org"
                nginx.ingress.kubernetes.io/cors-expose-headers: X-Custom
                nginx.ingress.kubernetes.io/cors-max-age: "600"
            spec:
              ingressClassName: nginx
              rules:
              - host: cors.bar.com
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: {{InfraV1}}, port: {number: 8080 } } } }
            """;

        private OneHopInstance? _onehop;

        internal string Address { get; } = LoopbackAddresses.Next();

        internal const int Port = 80;

        internal OneHopInstance OneHop => _onehop ?? throw new InvalidOperationException("not started");

        public async ValueTask InitializeAsync()
        {
            var token = TestTimeouts.Token();
            var files = new Dictionary<string, string>
            {
                ["base.yaml"] = ConformanceGateway.Data("base.yaml"),
                ["slices.yaml"] = await backends.SlicesAsync(token),
                ["ingresses.yaml"] = Ingresses,
                ["approot.yaml"] = AppRoot,
            };
            _onehop = await OneHopInstance.StartAsync(
                files,
                token,
                handler: new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false },
                configure: o => o with { Http = [Core.Configuration.ListenAddress.Parse($"{Address}:{Port}")], AdoptIngressNginx = true });
        }

        public async ValueTask DisposeAsync()
        {
            if (_onehop is not null)
            {
                await _onehop.DisposeAsync();
            }
        }
    }
}
