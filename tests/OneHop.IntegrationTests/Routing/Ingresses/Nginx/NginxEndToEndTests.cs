using OneHop.IntegrationTests.Routing.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;
using static OneHop.IntegrationTests.Routing.Ingresses.Nginx.NginxManifests;

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
        var response = await cluster.SendAsync(request, TestTimeouts.Token());
        ConformanceAssert.Reached(response, request, backend, path: podPath, host: host == "vhost.bar.com" ? "internal.example.com" : host);
    }

    [Fact]
    public async Task Upstream_vhost_and_x_forwarded_prefix_reach_the_pod()
    {
        var request = new ConformanceRequest("/a", "vhost.bar.com");
        var response = await cluster.SendAsync(request, TestTimeouts.Token());
        var echo = ConformanceAssert.Reached(response, request, InfraV2, path: "/a", host: "internal.example.com");
        Assert.Equal("/path", echo.Header("X-Forwarded-Prefix"));
    }

    [Theory]
    [InlineData("approot.bar.com", "/", 302, "http://approot.bar.com/app1")]
    [InlineData("permanent.bar.com", "/old/page?q=1", 308, "https://www.google.com")]
    [InlineData("foo.bar.com", "/a?b=c", 308, "http://www.foo.bar.com/a?b=c")]
    public async Task Redirects_have_ingress_nginx_status_and_location(string host, string path, int status, string location)
    {
        var response = await cluster.SendAsync(new ConformanceRequest(path, host), TestTimeouts.Token());
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
            ConformanceAssert.Reached(await cluster.SendAsync(request, token), request, backend);
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
            var response = await cluster.SendAsync(request, token);
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
        var preflight = await cluster.SendAsync(new ConformanceRequest("/api", "cors.bar.com", "OPTIONS", ["Origin: https://shop.example.org", "Access-Control-Request-Method: PUT"]), token);
        Assert.Equal(204, preflight.Status);
        Assert.Null(preflight.Echo); // answered by OneHop, not the pod
        Assert.Equal("https://shop.example.org", preflight.Header("Access-Control-Allow-Origin"));
        Assert.Equal("true", preflight.Header("Access-Control-Allow-Credentials"));
        Assert.Equal("GET, PUT, POST, DELETE, PATCH, OPTIONS", preflight.Header("Access-Control-Allow-Methods"));
        Assert.Equal("600", preflight.Header("Access-Control-Max-Age"));

        var request = new ConformanceRequest("/api", "cors.bar.com", Headers: ["Origin: https://app.bar.com"]);
        var response = await cluster.SendAsync(request, token);
        ConformanceAssert.Reached(response, request, InfraV1);
        Assert.Equal("https://app.bar.com", response.Header("Access-Control-Allow-Origin"));
        Assert.Equal("X-Custom", response.Header("Access-Control-Expose-Headers"));

        var stranger = new ConformanceRequest("/api", "cors.bar.com", "OPTIONS", ["Origin: https://evil.com"]);
        var refused = await cluster.SendAsync(stranger, token);
        Assert.NotEqual(204, refused.Status); // not a preflight OneHop answers: the pod gets it
        Assert.Null(refused.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Proxy_read_timeout_answers_504_when_the_pod_is_silent_longer_and_lets_a_quicker_answer_through()
    {
        var token = TestTimeouts.Token();
        var quick = new ConformanceRequest("/t?delay=200ms", "timeouts.bar.com");
        ConformanceAssert.Reached(await cluster.SendAsync(quick, token), quick, InfraV1);

        // The config's defaults.requestTimeout (100 s) would let this through; the Ingress's 1 s does not.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var slow = await cluster.SendAsync(new ConformanceRequest("/t?delay=4s", "timeouts.bar.com"), token);
        Assert.Equal(504, slow.Status);
        Assert.Null(slow.Echo); // answered by OneHop, not the pod
        Assert.Equal("timeout", slow.Header("X-OneHop-Error"));
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3.5));

        // Another Ingress of the same pods keeps the defaults: the same wait is answered.
        var other = new ConformanceRequest("/t?delay=1500ms", "approot.bar.com");
        ConformanceAssert.Reached(await cluster.SendAsync(other, token), other, InfraV1, path: "/t?delay=1500ms");
    }

    [Fact]
    public async Task Affinity_cookie_attributes_are_on_the_wire()
    {
        var token = TestTimeouts.Token();
        var first = new ConformanceRequest("/app/cart", "sticky.bar.com");
        var response = await cluster.SendAsync(first, token);
        ConformanceAssert.Reached(response, first, InfraV3, path: "/app/cart");
        var cookie = response.Header("Set-Cookie");
        Assert.NotNull(cookie);
        Assert.StartsWith("route=", cookie, StringComparison.Ordinal);
        Assert.EndsWith("; max-age=172800; domain=.bar.com; path=/app; secure; samesite=none; httponly", cookie, StringComparison.Ordinal);

        // The cookie pins: sent back, it sets nothing new.
        var again = new ConformanceRequest("/app/cart", "sticky.bar.com", Headers: [$"Cookie: {cookie[..cookie.IndexOf(';', StringComparison.Ordinal)]}"]);
        var pinned = await cluster.SendAsync(again, token);
        ConformanceAssert.Reached(pinned, again, InfraV3);
        Assert.Null(pinned.Header("Set-Cookie"));
    }

    [Fact]
    public async Task A_bad_annotation_leaves_the_last_good_routing_live_and_is_reported() =>
        await BadValueKeepsLastGoodAsync("approot.yaml", Cluster.AppRoot, Cluster.AppRoot.Replace("/app1", "app1 ; return 200", StringComparison.Ordinal), "app-root", async token =>
        {
            var response = await cluster.SendAsync(new ConformanceRequest("/", "approot.bar.com"), token);
            Assert.Equal(302, response.Status);
            Assert.Equal("http://approot.bar.com/app1", response.Location?.ToString());
        });

    [Theory]
    [InlineData("allowed.bar.com", 200)]
    [InlineData("not-allowed.bar.com", 403)]
    [InlineData("denied.bar.com", 403)]
    public async Task Source_ranges_let_allowed_clients_through_and_answer_403_to_the_others(string host, int status)
    {
        var request = new ConformanceRequest("/x", host);
        var response = await cluster.SendAsync(request, TestTimeouts.Token());
        if (status == 200)
        {
            ConformanceAssert.Reached(response, request, InfraV1);
            return;
        }

        Assert.Equal(status, response.Status);
        Assert.Null(response.Echo); // answered by OneHop, not the pod
        Assert.Equal("source-denied", response.Header("X-OneHop-Error"));
    }

    [Fact]
    public async Task A_bad_source_range_keeps_the_last_good_list() =>
        await BadValueKeepsLastGoodAsync("source-ranges.yaml", Cluster.SourceRanges, Cluster.SourceRanges.Replace("192.168.0.1", "192.168.0.300", StringComparison.Ordinal), "whitelist-source-range", async token =>
            Assert.Equal(403, (await cluster.SendAsync(new ConformanceRequest("/", "not-allowed.bar.com"), token)).Status));

    [Fact]
    public async Task Basic_auth_answers_401_with_the_realm_and_lets_the_secret_s_users_through()
    {
        var token = TestTimeouts.Token();
        var anonymous = await cluster.SendAsync(new ConformanceRequest("/", "auth.bar.com"), token);
        Assert.Equal(401, anonymous.Status);
        Assert.Null(anonymous.Echo);
        Assert.Equal("Basic realm=\"Authentication Required\"", anonymous.Header("WWW-Authenticate"));
        Assert.Equal(401, (await cluster.SendAsync(Authorized("auth.bar.com", "alice:builder"), token)).Status);
        Assert.Equal(401, (await cluster.SendAsync(Authorized("auth.bar.com", "mallory:wonderland"), token)).Status);

        foreach (var pair in (string[])["alice:wonderland", "bob:builder", "alice:wonderland"])
        {
            var request = Authorized("auth.bar.com", pair);
            var echo = ConformanceAssert.Reached(await cluster.SendAsync(request, token), request, InfraV1);
            Assert.StartsWith("Basic ", echo.Header("Authorization"), StringComparison.Ordinal); // passed on, as nginx does
        }
    }

    [Fact]
    public async Task Satisfy_any_lets_an_allowed_address_in_without_a_password_and_any_other_in_with_one()
    {
        var token = TestTimeouts.Token();
        var inside = new ConformanceRequest("/", "satisfy-in.bar.com");
        ConformanceAssert.Reached(await cluster.SendAsync(inside, token), inside, InfraV1);

        // Outside the range: a password instead of a 403, as nginx's satisfy any.
        var anonymous = await cluster.SendAsync(new ConformanceRequest("/", "satisfy-out.bar.com"), token);
        Assert.Equal((401, "Basic realm=\"\""), (anonymous.Status, anonymous.Header("WWW-Authenticate")));
        var signedIn = Authorized("satisfy-out.bar.com", "alice:wonderland");
        ConformanceAssert.Reached(await cluster.SendAsync(signedIn, token), signedIn, InfraV1);

        // satisfy all, the default: a password does not make up for the address.
        var refused = await cluster.SendAsync(Authorized("satisfy-all.bar.com", "alice:wonderland"), token);
        Assert.Equal((403, "source-denied"), (refused.Status, refused.Header("X-OneHop-Error")));
    }

    [Fact]
    public async Task Basic_auth_whose_secret_is_missing_answers_503()
    {
        var response = await cluster.SendAsync(Authorized("noauth.bar.com", "alice:wonderland"), TestTimeouts.Token());
        Assert.Equal(503, response.Status);
        Assert.Equal("auth-unavailable", response.Header("X-OneHop-Error"));
    }

    [Fact]
    public async Task A_user_added_to_the_watched_secret_can_sign_in()
    {
        var token = TestTimeouts.Token();
        var request = Authorized("auth.bar.com", "carol:singer");
        Assert.Equal(401, (await cluster.SendAsync(request, token)).Status);
        await cluster.OneHop.WriteManifestAsync("basic-auth.yaml", Cluster.BasicAuth.Replace("bob:", "carol:{SHA}X9zPCbMFzMPlYX7+7QubnxKI7iM=\n    bob:", StringComparison.Ordinal), token);
        try
        {
            await OneHopInstance.EventuallyAsync(async () => (await cluster.SendAsync(request, token)).Status == 200, TimeSpan.FromSeconds(10), "carol to sign in", token);
        }
        finally
        {
            await cluster.OneHop.WriteManifestAsync("basic-auth.yaml", Cluster.BasicAuth, token);
        }
    }

    [Fact]
    public async Task External_auth_lets_through_what_the_service_accepts_with_its_headers_from_the_service_s_pod()
    {
        var token = TestTimeouts.Token();
        var request = new ConformanceRequest("/x?y=1", "extauth.bar.com", Headers: ["X-Auth-Request-User: mallory", "Cookie: _oauth2_proxy=s"]);
        var response = await cluster.SendAsync(request, token);
        var echo = ConformanceAssert.Reached(response, request, InfraV1);
        Assert.Equal("alice", echo.Header("X-Auth-Request-User")); // the client's own copy never reaches the pod
        Assert.Equal("alice@example.com", echo.Header("X-Auth-Request-Email"));
        Assert.Null(echo.Header("X-Not-Listed"));
        Assert.Equal("_oauth2_proxy=s", echo.Header("Cookie"));
        Assert.Equal("_oauth2_proxy=session; Path=/; HttpOnly", response.Header("Set-Cookie"));

        // Sent to the Service's pod by its cluster DNS name, which does not resolve here, with the URL's Host.
        var call = cluster.Auth.Last("extauth.bar.com/x?y=1");
        Assert.Equal("/ok", call.Target);
        Assert.Equal($"oauth2-proxy.{Infra}.svc.cluster.local:4180", call.Header("Host"));
        Assert.Equal("http://extauth.bar.com/x?y=1", call.Header("X-Original-URL"));
        Assert.Equal("GET", call.Header("X-Original-Method"));
        Assert.Equal("_oauth2_proxy=s", call.Header("Cookie"));
    }

    [Theory]
    [InlineData("extauth-signin.bar.com", 302, null)]
    [InlineData("extauth-forbidden.bar.com", 403, "auth-forbidden")]
    [InlineData("extauth-down.bar.com", 500, "auth-failed")]
    public async Task External_auth_refusals_and_failures_never_reach_the_pod(string host, int status, string? code)
    {
        var response = await cluster.SendAsync(new ConformanceRequest("/page?q=1", host), TestTimeouts.Token());
        Assert.Equal(status, response.Status);
        Assert.Null(response.Echo);
        Assert.Equal(code, response.Header("X-OneHop-Error"));
        if (status == 302)
        {
            // ingress-nginx's oauth2-proxy example; the service's cookie goes with the redirect, as nginx's add_header does.
            Assert.Equal("https://extauth-signin.bar.com/oauth2/start?rd=%2Fpage%3Fq%3D1", response.Header("Location"));
            Assert.Equal("_oauth2_proxy_csrf=token; Path=/", response.Header("Set-Cookie"));
        }
    }

    [Fact]
    public async Task Auth_cache_key_reuses_the_service_s_answer_for_the_same_key()
    {
        var token = TestTimeouts.Token();
        async Task<string?> UserFor(string session)
        {
            var request = new ConformanceRequest("/", "extauth-cached.bar.com", Headers: [$"X-Session: {session}"]);
            return ConformanceAssert.Reached(await cluster.SendAsync(request, token), request, InfraV1).Header("X-Auth-Request-User");
        }

        int Asked() => cluster.Auth.Calls.Count(c => c.Header("X-Original-URL")?.StartsWith("http://extauth-cached.bar.com/", StringComparison.Ordinal) == true);

        var first = await UserFor("a");
        Assert.StartsWith("call-", first, StringComparison.Ordinal);
        Assert.Equal(first, await UserFor("a")); // the kept answer, with its header
        Assert.Equal(1, Asked());
        Assert.NotEqual(first, await UserFor("b"));
        Assert.Equal(2, Asked());
    }

    [Fact]
    public async Task A_bad_auth_url_keeps_the_last_good_one() =>
        await BadValueKeepsLastGoodAsync("external-auth.yaml", cluster.ExternalAuth, cluster.ExternalAuth.Replace("/forbidden", "/$request_body", StringComparison.Ordinal), "auth-url", async token =>
            Assert.Equal(403, (await cluster.SendAsync(new ConformanceRequest("/", "extauth-forbidden.bar.com"), token)).Status));

    [Fact]
    public async Task A_client_over_limit_rpm_and_its_burst_gets_503_until_the_rate_lets_it_in()
    {
        var token = TestTimeouts.Token();
        var request = new ConformanceRequest("/r", "limited.bar.com");
        for (var i = 0; i < 3; i++)
        {
            ConformanceAssert.Reached(await cluster.SendAsync(request, token), request, InfraV1); // 2 * 1 + 1 at once
        }

        var refused = await cluster.SendAsync(request, token);
        Assert.Equal(503, refused.Status);
        Assert.Null(refused.Echo);
        Assert.Equal("rate-limited", refused.Header("X-OneHop-Error"));
    }

    [Theory]
    [InlineData(1000, true, 200)]
    [InlineData(1025, true, 413)]
    [InlineData(1000, false, 200)]
    [InlineData(4000, false, 413)]
    public async Task Proxy_body_size_answers_413_over_it_declared_or_chunked(int length, bool declared, int status)
    {
        var token = TestTimeouts.Token();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{cluster.Address}:{Cluster.Port}/upload"));
        request.Headers.Host = "small-body.bar.com";
        var body = new byte[length];
        request.Content = declared ? new ByteArrayContent(body) : new StreamContent(new MemoryStream(body)); // no length: chunked
        if (!declared)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await cluster.OneHop.Proxy.SendAsync(request, token);
        Assert.Equal(status, (int)response.StatusCode);
        if (status == 413)
        {
            Assert.Equal("bad-request-body", string.Join(',', response.Headers.GetValues("X-OneHop-Error")));
        }
    }

    private static ConformanceRequest Authorized(string host, string pair) =>
        new("/", host, Headers: [$"Authorization: Basic {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pair))}"]);

    /// <summary>
    /// Writes <paramref name="bad"/> over <paramref name="file"/>, waits for /api/status to report the annotation with the
    /// last good version kept, checks the routing still does what <paramref name="good"/> said, and puts it back.
    /// </summary>
    private async Task BadValueKeepsLastGoodAsync(string file, string good, string bad, string annotation, Func<CancellationToken, Task> stillGood)
    {
        var token = TestTimeouts.Token();
        await cluster.OneHop.WriteManifestAsync(file, bad, token);
        try
        {
            await OneHopInstance.EventuallyAsync(
                async () => (await cluster.OneHop.StatusAsync(token)).ToString() is var status && status.Contains("LastGoodKept", StringComparison.Ordinal) && status.Contains($"nginx.ingress.kubernetes.io/{annotation}", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10),
                $"the bad {annotation} to be reported in /api/status",
                token);
            await stillGood(token);
        }
        finally
        {
            await cluster.OneHop.WriteManifestAsync(file, good, token);
        }
    }

    public sealed class Cluster(EchoBackends backends) : IAsyncLifetime
    {
        internal static readonly string AppRoot = Ingress("approot", "approot.bar.com", InfraV1, ["app-root: /app1"]);

        internal static readonly string SourceRanges = Stream(
            Ingress("allowed", "allowed.bar.com", InfraV1, ["allowlist-source-range: 10.0.0.0/8, 127.0.0.0/8"]),
            Ingress("not-allowed", "not-allowed.bar.com", InfraV1, ["whitelist-source-range: 10.0.0.0/8,192.168.0.1"]),
            Ingress("denied", "denied.bar.com", InfraV1, ["denylist-source-range: 127.0.0.0/8", "allowlist-source-range: 127.0.0.0/8"]));

        /// <summary>ingress-nginx's basic-auth example: htpasswd -B (alice) and -m (bob) users, and an Ingress whose Secret is missing.</summary>
        internal static readonly string BasicAuth = Stream(
            HtpasswdSecret("alice:$2y$05$Ph4ss0jnJWGJChoRuAo4FOQQgc7V5bvw/y09Poe87EScR7FyX9g7a", "bob:$apr1$VCq0M6iW$kNa6ztUW5i/3ozw6ZsWRp0"),
            Ingress("basic-auth", "auth.bar.com", InfraV1, ["auth-type: basic", "auth-secret: basic-auth", "auth-realm: Authentication Required"]),
            Ingress("no-secret", "noauth.bar.com", InfraV1, ["auth-type: basic", "auth-secret: no-such-secret"]),
            Ingress("satisfy-in", "satisfy-in.bar.com", InfraV1, ["auth-type: basic", "auth-secret: basic-auth", "allowlist-source-range: 127.0.0.0/8", "satisfy: any"]),
            Ingress("satisfy-out", "satisfy-out.bar.com", InfraV1, ["auth-type: basic", "auth-secret: basic-auth", "allowlist-source-range: 10.0.0.0/8", "satisfy: any"]),
            Ingress("satisfy-all", "satisfy-all.bar.com", InfraV1, ["auth-type: basic", "auth-secret: basic-auth", "allowlist-source-range: 10.0.0.0/8"]));

        /// <summary>oauth2-proxy as a Service whose pod is <see cref="Auth"/>, and Ingresses that ask it as ingress-nginx's examples do.</summary>
        internal string ExternalAuth { get; private set; } = string.Empty;

        private static readonly string Ingresses = Stream(
            IngressClass,
            Ingress("rewrite", "rewrite.bar.com", InfraV1, ["use-regex: \"true\"", "rewrite-target: /$2"], path: "/something(/|$)(.*)", pathType: "ImplementationSpecific"),
            Ingress("rewrite-neighbour", "rewrite.bar.com", InfraV2),
            Ingress("redirects", "permanent.bar.com", InfraV1, ["permanent-redirect: https://www.google.com", "permanent-redirect-code: \"308\""]),
            Ingress("www", "www.foo.bar.com", InfraV1, ["from-to-www-redirect: \"true\""]),
            Ingress("vhost", "vhost.bar.com", InfraV2, ["upstream-vhost: internal.example.com", "x-forwarded-prefix: /path"]),
            Ingress("production", "canary.bar.com", InfraV1),
            Ingress("canary", "canary.bar.com", InfraV2, ["canary: \"true\"", "canary-weight: \"30\"", "canary-by-header: X-Canary", "canary-by-cookie: canary"]),
            Ingress("small-body", "small-body.bar.com", InfraV1, ["proxy-body-size: 1k"]),
            Ingress("timeouts", "timeouts.bar.com", InfraV1, ["proxy-read-timeout: \"1\"", "proxy-connect-timeout: \"2\"", "proxy-send-timeout: \"3\""]),
            Ingress("limited", "limited.bar.com", InfraV1, ["limit-rpm: \"2\"", "limit-burst-multiplier: \"1\""]),
            Ingress("sticky", "sticky.bar.com", InfraV3, ["affinity: cookie", "session-cookie-name: route", "session-cookie-path: /app", "session-cookie-max-age: \"172800\"", "session-cookie-samesite: None", "session-cookie-secure: \"true\"", "session-cookie-domain: .bar.com"]),
            Ingress("cors", "cors.bar.com", InfraV1, ["enable-cors: \"true\"", "cors-allow-origin: \"https://app.bar.com, https://*.example.org\"", "cors-expose-headers: X-Custom", "cors-max-age: \"600\""]));

        private OneHopInstance? _onehop;
        private AuthService? _auth;

        internal AuthService Auth => _auth ?? throw new InvalidOperationException("not started");

        internal string Address { get; } = LoopbackAddresses.Next();

        internal const int Port = 80;

        internal OneHopInstance OneHop => _onehop ?? throw new InvalidOperationException("not started");

        internal Task<GatewayResponse> SendAsync(ConformanceRequest request, CancellationToken cancellationToken) =>
            request.SendAsync(OneHop.Proxy, Address, Port, cancellationToken);

        public async ValueTask InitializeAsync()
        {
            var token = TestTimeouts.Token();
            _auth = await AuthService.StartAsync(token);
            ExternalAuth = ExternalAuthManifests(_auth);
            var files = new Dictionary<string, string>
            {
                ["external-auth.yaml"] = ExternalAuth,
                ["base.yaml"] = ConformanceGateway.Data("base.yaml"),
                ["slices.yaml"] = await backends.SlicesAsync(token),
                ["ingresses.yaml"] = Ingresses,
                ["approot.yaml"] = AppRoot,
                ["source-ranges.yaml"] = SourceRanges,
                ["basic-auth.yaml"] = BasicAuth,
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

            if (_auth is not null)
            {
                await _auth.DisposeAsync();
            }
        }

        private static string ExternalAuthManifests(AuthService auth) => Stream(
            $$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: oauth2-proxy
              namespace: {{Infra}}
            spec:
              ports: [{name: http, port: 4180, targetPort: {{auth.Port}}}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: oauth2-proxy-1
              namespace: {{Infra}}
              labels: {kubernetes.io/service-name: oauth2-proxy}
            addressType: IPv4
            ports: [{name: http, port: {{auth.Port}}}]
            endpoints:
              - addresses: ["{{auth.Address}}"]
                conditions: {ready: true}
            """,
            Ingress("extauth", "extauth.bar.com", InfraV1, [$"auth-url: \"http://oauth2-proxy.{Infra}.svc.cluster.local:4180/ok\"", "auth-response-headers: \"X-Auth-Request-User, X-Auth-Request-Email\""]),
            Ingress("extauth-signin", "extauth-signin.bar.com", InfraV1, [$"auth-url: \"http://oauth2-proxy.{Infra}.svc:4180/unauthorized\"", "auth-signin: \"https://$host/oauth2/start?rd=$escaped_request_uri\""]),
            Ingress("extauth-forbidden", "extauth-forbidden.bar.com", InfraV1, [$"auth-url: \"http://oauth2-proxy.{Infra}.svc:4180/forbidden\""]),
            Ingress("extauth-down", "extauth-down.bar.com", InfraV1, [$"auth-url: \"http://no-such-auth.{Infra}.svc/ok\""]),
            Ingress("extauth-cached", "extauth-cached.bar.com", InfraV1, [$"auth-url: \"http://oauth2-proxy.{Infra}.svc:4180/counted\"", "auth-response-headers: X-Auth-Request-User", "auth-cache-key: $http_x_session", "auth-cache-duration: \"200 1h\""]));
    }
}
