using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Admin;
using OneHop.Core.Configuration;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Diagnostics;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's own documentation examples (Corpus/), served by an adopting OneHop: the translated snapshot and
/// diagnostics (Corpus/expected.json, regenerate with <c>ONEHOP_UPDATE_GOLDEN=1</c>), and per request the backend, the
/// path the pod gets, and the redirects' status and Location, worked out by the data plane's own filter code.
/// </summary>
public sealed class NginxCorpusTests
{
    private static readonly string Corpus = Path.Combine(SourceTree.ProjectDirectory, "Routing", "Ingresses", "Nginx", "Corpus");

    private static readonly Lazy<TranslationResult> Result = new(() => Translator.Translate(TranslatorInput.Of(
        GoldenCase.Load(Corpus).State,
        OneHopConfig.Default with { Ingress = new IngressSettings { AdoptIngressNginx = true } })));

    [Fact]
    public void Snapshot_and_diagnostics_match_the_golden_file()
    {
        var json = JsonSerializer.Serialize(TranslationDocument.Of(Result.Value, []), AdminJsonContext.Default.TranslationDocument) + "\n";
        var expected = Path.Combine(Corpus, "expected.json");
        if (SourceTree.UpdateGolden)
        {
            File.WriteAllText(expected, json);
            return;
        }

        Assert.Equal(File.ReadAllText(expected), json);
    }

    [Theory]
    [InlineData("rewrite.bar.com", "/something", "default/http-svc:80", "/")]
    [InlineData("rewrite.bar.com", "/something/", "default/http-svc:80", "/")]
    [InlineData("rewrite.bar.com", "/something/new", "default/http-svc:80", "/new")]
    [InlineData("rewrite.bar.com", "/SOMETHING/new?q=1", "default/http-svc:80", "/new?q=1")]
    [InlineData("rewrite.bar.com", "/somethingelse", "default/other-svc:80", "/somethingelse")]
    [InlineData("rewrite.bar.com", "/exact", "default/other-svc:80", "/exact")]
    [InlineData("approot.bar.com", "/app1/x", "default/http-svc:80", "/app1/x")]
    [InlineData("stickyingress.example.com", "/", "default/sticky-svc:80", "/")]
    [InlineData("grpc.example.com", "/pkg.Svc/Call", "default/other-svc:80@h2c", "/pkg.Svc/Call")]
    [InlineData("unsupported.example.com", "/", "default/http-svc:80", "/")]
    [InlineData("bad.example.com", "/a", "default/http-svc:80", "/a")]
    public void Requests_reach_the_backend_with_the_path_ingress_nginx_gives(string host, string target, string backend, string podTarget)
    {
        var (route, context) = Route(host, target);
        Assert.Null(route.Filters?.Redirect);
        Assert.Equal(backend, route.BackendId);
        if (route.Filters is { } filters)
        {
            RouteFilterActions.ApplyToRequest(context, new ProxyRequest(context), route, filters);
        }

        Assert.Equal(podTarget, context.Features.Get<IHttpRequestFeature>()!.RawTarget);
    }

    [Theory]
    [InlineData("approot.bar.com", "/", 302, "http://approot.bar.com/app1")]
    [InlineData("approot.bar.com:8080", "/?x=1", 302, "http://approot.bar.com:8080/app1")]
    [InlineData("permanent.bar.com", "/any/path?x=1", 308, "https://www.google.com")]
    [InlineData("temporal.bar.com", "/cart", 302, "https://example.com/maintenance?from=shop")]
    [InlineData("foo.bar.com", "/a?b=c", 308, "http://www.foo.bar.com/a?b=c")]
    public async Task Redirects_answer_with_ingress_nginx_status_and_location(string host, string target, int status, string location)
    {
        var (route, context) = Route(host, target);
        Assert.NotNull(route.Filters?.Redirect);
        await RouteFilterActions.RedirectAsync(context, route, route.Filters!.Redirect!);
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal(location, context.Response.Headers.Location.ToString());
    }

    [Fact]
    public void Custom_timeouts_reach_the_route_and_the_attempt_and_other_routes_keep_the_defaults()
    {
        var route = Route("longpoll.example.com", "/").Route;
        Assert.Equal(new UpstreamTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3600), TimeSpan.FromSeconds(120)), route.UpstreamTimeouts);
        Assert.Null(Route("rewrite.bar.com", "/something").Route.UpstreamTimeouts);
    }

    [Theory]
    [InlineData("allow.example.com", "10.0.0.9", true)]
    [InlineData("allow.example.com", "172.10.0.1", true)]
    [InlineData("allow.example.com", "10.0.1.1", false)]
    [InlineData("deny.example.com", "10.0.0.9", false)]
    [InlineData("deny.example.com", "10.9.0.1", true)]
    [InlineData("deny.example.com", "192.168.0.1", false)] // allowlist- wins over whitelist-'s 0.0.0.0/0
    public void Source_ranges_admit_the_client_addresses_ingress_nginx_would(string host, string client, bool permitted)
    {
        var (route, _) = Route(host, "/");
        Assert.Equal(permitted, route.Filters!.SourceRanges!.Permits(System.Net.IPAddress.Parse(client)));
    }

    [Fact]
    public void Basic_auth_reads_the_users_of_its_secret_and_a_missing_secret_answers_503()
    {
        var auth = Route("auth.example.com", "/").Route.Filters!.BasicAuth!;
        Assert.Equal("Authentication Required - foo", auth.Realm);
        Assert.Equal(["alice", "bob", "carol"], auth.Users.Keys.Order()); // dave's DES crypt line is reported and skipped
        Assert.Null(auth.Problem);
        var gate = new BasicAuthGate(auth);
        Assert.Equal("Basic realm=\"Authentication Required - foo\"", gate.Challenge);
        Assert.True(gate.Admits(Basic("alice:wonderland")));
        Assert.True(gate.Admits(Basic("bob:builder")));
        Assert.True(gate.Admits(Basic("carol:singer")));
        Assert.False(gate.Admits(Basic("alice:builder")));
        Assert.False(gate.Admits(Basic("dave:diver")));
        Assert.False(gate.Admits("Bearer abc"));
        Assert.False(gate.Admits(null));

        var missing = Route("noauth.example.com", "/").Route.Filters!.BasicAuth!;
        Assert.Contains("Secret default/no-such-secret does not exist", missing.Problem, StringComparison.Ordinal);

        static string Basic(string pair) => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pair));
    }

    [Fact]
    public void External_auth_reaches_an_in_cluster_service_s_pods_and_other_hosts_by_dns()
    {
        var outside = Route("external-auth-01.sample.com", "/").Route.Filters!.ExternalAuth!;
        Assert.Equal("https://httpbin.org/basic-auth/user/passwd", outside.Url);
        Assert.Null(outside.BackendId);
        Assert.Null(outside.Method);

        var sameHost = Route("dashboard.example.com", "/").Route.Filters!.ExternalAuth!;
        Assert.Equal("https://$host/oauth2/start?rd=$escaped_request_uri", sameHost.Signin);
        Assert.Null(sameHost.BackendId);

        var inCluster = Route("app.example.com", "/").Route.Filters!.ExternalAuth!;
        Assert.Equal("auth/oauth2-proxy:4180", inCluster.BackendId);
        Assert.Equal(["X-Auth-Request-User", "X-Auth-Request-Email"], inCluster.ResponseHeaders);
        Assert.Equal(("POST", "redirect_uri", true), (inCluster.Method, inCluster.SigninRedirectParam, inCluster.AlwaysSetCookie));
        var backend = Assert.Single(Result.Value.Snapshot.Backends, b => b.Id == inCluster.BackendId);
        Assert.Equal("10.0.9.1", Assert.Single(backend.Endpoints).Address);

        var missing = Route("noauthsvc.example.com", "/").Route.Filters!.ExternalAuth!;
        Assert.Equal("default/no-such-auth:80", missing.BackendId);
        Assert.NotNull(Assert.Single(Result.Value.Snapshot.Backends, b => b.Id == missing.BackendId).Problem);
    }

    [Fact]
    public void Mirror_target_becomes_a_route_mirror_to_a_plain_upstream_or_the_service_s_pods()
    {
        var outside = Assert.Single(Route("mirror.example.com", "/").Route.Filters!.Mirrors!);
        Assert.Equal(("mirror/https://test.env.com", "/$request_uri", "test.env.com", false), (outside.BackendId, outside.Target, outside.Host, outside.WithoutBody));
        var upstream = Assert.Single(Result.Value.Snapshot.Backends, b => b.Id == outside.BackendId);
        Assert.Equal((BackendKind.Upstream, BackendProtocol.Https, "test.env.com", 443, false), (upstream.Kind, upstream.Protocol, Assert.Single(upstream.Endpoints).Address, upstream.Endpoints[0].Port, upstream.Tls!.Verify));

        var address = Assert.Single(Route("mirror-address.example.com", "/").Route.Filters!.Mirrors!);
        Assert.Equal(("mirror/https://1.2.3.4", "test.env.com", true), (address.BackendId, address.Host, address.WithoutBody));

        var service = Assert.Single(Route("mirror-service.example.com", "/").Route.Filters!.Mirrors!);
        Assert.Equal(("test/shadow:8080", "$request_uri", "shadow.test.svc.cluster.local"), (service.BackendId, service.Target, service.Host));
        Assert.Equal("10.0.8.1", Assert.Single(Assert.Single(Result.Value.Snapshot.Backends, b => b.Id == service.BackendId).Endpoints).Address);
    }

    [Theory]
    [InlineData("alias.example.com", "/x", "default/http-svc:80")]
    [InlineData("www.alias.example.com", "/x", "default/http-svc:80")]
    [InlineData("alias.example.net", "/api/v1", "default/other-svc:80")]
    [InlineData("taken.example.com", "/x", "default/other-svc:80")] // the host of alias-owner: the alias is dropped
    [InlineData("www.alias.example.com", "/late/x", "default/other-svc:80")] // alias-late's path for the host, under the host's aliases
    public void Server_aliases_serve_the_host_s_paths_unless_another_ingress_has_the_name(string host, string target, string backend) =>
        Assert.Equal(backend, Route(host, target).Route.BackendId);

    [Fact]
    public void Server_aliases_share_the_host_s_tls_and_conflicts_are_reported()
    {
        var policies = Result.Value.Snapshot.HostPolicies.Select(h => h.Host).ToList();
        Assert.Contains("www.alias.example.com", policies);
        Assert.Contains("alias.example.net", policies);
        Assert.DoesNotContain("taken.example.com", policies);
        Assert.Null(new RouteTable(Result.Value.Snapshot).Match("late.example.com", "/late"));
        Assert.Equal("default/other-svc:80", new RouteTable(Result.Value.Snapshot).Match("www.alias.example.com", "/late")?.BackendId); // every path of the host, as nginx's server
        string[] Warnings(string ingress) => [.. Result.Value.Diagnostics
            .Where(d => d.Object?.ToString() == $"Ingress default/{ingress}" && d.Field == "metadata.annotations[nginx.ingress.kubernetes.io/server-alias]")
            .Select(d => $"{d.Severity} {d.Message}")];
        Assert.Equal(["Warning alias 'taken.example.com' is the host of an Ingress rule; it is dropped to avoid the conflict, as ingress-nginx does"], Warnings("aliased"));
        Assert.Equal(["Warning host 'alias.example.com' already has the aliases of Ingress default/aliased; these are not applied to it"], Warnings("alias-late"));
    }

    [Fact]
    public void Rate_limits_read_the_rate_its_burst_and_the_allow_list()
    {
        var limit = Route("limits.example.com", "/").Route.Filters!.RateLimit!;
        Assert.Equal(new RouteRateLimit(5, 0, 10, 3, ["10.0.0.0/8"]) { Zone = "default/rate-limited" }, limit); // the Ingress counts on its own
        using var limiter = new RouteRateLimiter(limit);
        Assert.True(limiter.TryAcquire(System.Net.IPAddress.Parse("10.1.2.3"), out var exempt, out _));
        Assert.Null(exempt); // never limited, nor counted
    }

    [Theory]
    [InlineData("body.example.com", 8L << 20)]
    [InlineData("nobodylimit.example.com", 0L)]
    [InlineData("limits.example.com", null)]
    public void Proxy_body_size_is_the_route_s_body_limit_in_bytes(string host, long? bytes) =>
        Assert.Equal(bytes, Route(host, "/").Route.Filters?.MaxRequestBodySize);

    [Fact]
    public void Force_ssl_redirect_applies_to_the_rule_host_without_tls()
    {
        var policy = Assert.Single(Result.Value.Snapshot.HostPolicies, p => p.Host == "secure.bar.com");
        Assert.True(policy.ForceSslRedirect);
    }

    [Fact]
    public void Backend_policy_annotations_become_onehop_policy()
    {
        var backends = Result.Value.Snapshot.Backends.ToDictionary(b => b.Id);
        Assert.Equal("cookie", backends["default/sticky-svc:80"].Policy.LoadBalancing);
        Assert.Equal("route", backends["default/sticky-svc:80"].Policy.AffinityCookie);
        Assert.Equal(new AffinityCookieAttributes("/app", 172800, 172800, "None", true, ".example.com"), backends["default/sticky-svc:80"].Policy.AffinityCookieAttributes);
        Assert.Null(backends["default/hash-svc:80"].Policy.AffinityCookieAttributes);
        Assert.Equal("peak-ewma", backends["default/other-svc:80@h2c"].Policy.LoadBalancing);
        Assert.Equal(2, backends["default/other-svc:80@h2c"].Policy.Retry.Attempts);
        Assert.Equal(BackendProtocol.H2c, backends["default/other-svc:80@h2c"].Protocol);
        Assert.Equal("maglev", backends["default/hash-svc:80"].Policy.LoadBalancing);
        Assert.Equal("path", backends["default/hash-svc:80"].Policy.HashKey.ToString());
    }

    [Fact]
    public void Proxy_ssl_annotations_become_the_backend_s_tls()
    {
        var verified = Backend(Route("proxyssl.example.com", "/").Route.BackendId);
        Assert.Equal("default/http-svc:80@https/proxy-ssl:default/proxy-ssl", verified.Id);
        Assert.Equal(BackendProtocol.Https, verified.Protocol);
        var tls = verified.Tls!;
        Assert.Equal(("ca", "web.pods.test", false, 2, "TLSv1.2 TLSv1.3", true), (tls.Trust, tls.ServerName, tls.WithoutSni, tls.VerifyDepth, tls.Protocols, tls.ClientCertificate));
        Assert.Contains("BEGIN CERTIFICATE", tls.CaPem, StringComparison.Ordinal);
        Assert.Contains("PRIVATE KEY", tls.ClientKeyPem, StringComparison.Ordinal);
        Assert.Equal("Ingress default/proxy-ssl proxy-ssl-secret", tls.Source);
        Assert.Null(tls.Problem);

        // A generic Secret with ca.crt only: verified, no client certificate, the name checked but not sent (server-name off).
        var grpcs = Backend(Route("proxyssl-grpcs.example.com", "/").Route.BackendId);
        Assert.Equal((BackendProtocol.H2, "ca", "grpc.pods.test", true, false, "TLSv1.2"), (grpcs.Protocol, grpcs.Tls!.Trust, grpcs.Tls.ServerName, grpcs.Tls.WithoutSni, grpcs.Tls.ClientCertificate, grpcs.Tls.Protocols));

        // A missing Secret: every connection fails, never unverified.
        var missing = Backend(Route("proxyssl-missing.example.com", "/").Route.BackendId).Tls!;
        Assert.Equal("unusable", missing.Trust);
        Assert.Contains("Secret default/no-such-secret does not exist", missing.Problem, StringComparison.Ordinal);

        // Another namespace's Secret is refused (no last good version here, so routed without it), and without an
        // HTTPS backend-protocol the Secret does nothing, as in ingress-nginx.
        Assert.Equal("default/http-svc:80@https", Route("proxyssl-elsewhere.example.com", "/").Route.BackendId);
        Assert.Null(Backend("default/http-svc:80@https").Tls);
        Assert.Equal("default/http-svc:80", Route("proxyssl-plain.example.com", "/").Route.BackendId);

        static Backend Backend(string id) => Assert.Single(Result.Value.Snapshot.Backends, b => b.Id == id);
    }

    [Fact]
    public void Upstream_vhost_and_x_forwarded_prefix_reach_the_pod()
    {
        var (route, context) = Route("vhost.example.com", "/a");
        RouteFilterActions.ApplyToRequest(context, new ProxyRequest(context), route, route.Filters!);
        Assert.Equal("internal.example.com", context.Request.Host.Value);
        Assert.Equal("/path", context.Request.Headers["X-Forwarded-Prefix"].ToString());
    }

    [Fact]
    public void Unsupported_unknown_and_bad_annotations_are_each_reported()
    {
        string[] Codes(string ingress, string annotation) =>
            [.. Result.Value.Diagnostics.Where(d => d.Object?.Name == ingress && d.Field == $"metadata.annotations[nginx.ingress.kubernetes.io/{annotation}]").Select(d => $"{d.Severity} {d.Code}")];

        Assert.Equal(["Warning UnsupportedAnnotation"], Codes("unsupported", "configuration-snippet"));
        Assert.Equal(["Warning UnsupportedAnnotation"], Codes("unsupported", "service-upstream"));
        Assert.Empty(Codes("unsupported", "enable-cors")); // honoured since CORS came
        Assert.Equal(["Warning UnknownAnnotation"], Codes("unsupported", "made-up-annotation"));
        Assert.Equal(["Error InvalidAnnotation"], Codes("bad-values", "permanent-redirect-code"));
        Assert.Equal(["Error InvalidAnnotation"], Codes("bad-values", "rewrite-target"));
        Assert.Equal(["Error InvalidAnnotation"], Codes("bad-values", "load-balance"));
        Assert.DoesNotContain(Result.Value.Diagnostics, d => d.Object?.Name == "nginx-test" && d.Severity != DiagnosticSeverity.Info);
        Assert.Equal(["Warning InvalidSecret"], Codes("ingress-with-auth", "auth-secret"));
        Assert.Equal(["Error UnknownSecret"], Codes("auth-missing-secret", "auth-secret"));
        Assert.Equal(["Warning UnknownService"], Codes("auth-missing-service", "auth-url"));
        Assert.Equal(["Error UnknownSecret"], Codes("proxy-ssl-missing", "proxy-ssl-secret"));
        Assert.Equal(["Error InvalidAnnotation"], Codes("proxy-ssl-elsewhere", "proxy-ssl-secret"));
        Assert.Equal(["Warning InvalidAnnotation"], Codes("proxy-ssl-plain", "proxy-ssl-secret"));
        Assert.DoesNotContain(Result.Value.Diagnostics, d => d.Object?.Name is "proxy-ssl" or "proxy-ssl-grpcs" && d.Severity != DiagnosticSeverity.Info);
        Assert.DoesNotContain(Result.Value.Diagnostics, d => d.Object?.Name is "rewrite" or "approot" or "grpc" or "vhost" or "permanent" or "temporal" or "www" or "external-auth" or "oauth2-proxy-dashboard" or "oauth2-proxy-in-cluster" && d.Severity != DiagnosticSeverity.Info);
    }

    [Fact]
    public void Custom_http_errors_and_default_backend_become_the_routes_error_pages()
    {
        // The Service's first port (http, 80; not metrics), its pods; the codes sorted, once each.
        Assert.Equal(
            new RouteErrorPages("default/nginx-errors:80", [404, 415, 503], true, "default", "custom-errors", "http-svc", "80"),
            Route("errors.example.com", "/").Route.Filters?.ErrorPages);
        Assert.Contains(Result.Value.Snapshot.Backends, b => b.Id == "default/nginx-errors:80" && b.Endpoints is [{ Address: "10.0.3.1", Port: 8080 }]);

        // test/e2e/annotations/default_backend.go: the Service does not exist, so its requests go to the default backend.
        var fallback = Route("default-backend.example.com", "/alma/armud").Route;
        Assert.Equal("default/invalid:80", fallback.BackendId);
        Assert.Equal(new RouteErrorPages("default/nginx-errors:80", [], true, "default", "default-backend", "invalid", "80"), fallback.Filters?.ErrorPages);

        // A default-backend that does not resolve, and custom-http-errors with no default backend at all: routed
        // without, each said.
        Assert.Null(Route("missing-default-backend.example.com", "/").Route.Filters?.ErrorPages);
        Assert.Null(Route("errors-only.example.com", "/").Route.Filters?.ErrorPages);
        Assert.Equal(["Warning UnknownService"], Findings("missing-default-backend", "default-backend"));
        Assert.Equal(["Warning InvalidAnnotation"], Findings("errors-only", "custom-http-errors"));
        Assert.Empty(Findings("custom-errors", "custom-http-errors").Concat(Findings("custom-errors", "default-backend")));
    }

    private static string[] Findings(string ingress, string annotation) =>
        [.. Result.Value.Diagnostics.Where(d => d.Object?.Name == ingress && d.Field == $"metadata.annotations[nginx.ingress.kubernetes.io/{annotation}]").Select(d => $"{d.Severity} {d.Code}")];

    /// <summary>examples/auth/client-certs and its variants: the client CA of the hosts, the subject pattern, the headers' filter, and what is reported.</summary>
    [Theory]
    [InlineData("mydomain.com", "Secret default/ca-secret", null, true, 1)]
    [InlineData("mtls.example.com", "Secret default/ca-secret", "CN=(client-1|client-2)", true, 2)]
    [InlineData("mtls-off.example.com", null, null, false, null)] // asks for no certificate; the pod gets ssl-client-verify: NONE
    [InlineData("mtls-optional.example.com", "Secret default/ca-secret", null, false, 1)]
    [InlineData("mtls-elsewhere.example.com", null, null, null, null)] // another namespace's Secret: no CA, no headers
    [InlineData("mtls-both.example.com", "Secret default/ca-secret", null, false, null)] // onehop.dev/client-ca-secret's CA, any depth
    public void Client_certificate_annotations_become_the_host_s_client_ca_and_the_route_s_headers(string host, string? clientCa, string? subject, bool? passCertificate, int? depth)
    {
        var policy = Assert.Single(Result.Value.Snapshot.HostPolicies, p => p.Host == host);
        Assert.Equal(clientCa, policy.ClientCaId);
        Assert.Equal(depth, policy.ClientCaDepth);
        Assert.Equal(clientCa is null ? null : true, policy.ClientCaPem?.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal));
        Assert.Equal(subject, policy.ClientSubjectPattern);
        var (route, _) = Route(host, "/");
        Assert.Equal(passCertificate, route.Filters?.ClientCertificate?.PassCertificate);
    }

    [Theory]
    [InlineData("mydomain.com", "on", "http://www.mysite.com/error-cert.html")] // the client-certs example's error page
    [InlineData("mtls-optional.example.com", "optional", null)]
    [InlineData("mtls.example.com", "on", null)] // checked at the request, as nginx does
    [InlineData("mtls-both.example.com", null, null)] // onehop.dev/client-ca-secret wins: a certificate is required at the handshake
    public void Verify_client_and_the_error_page_become_the_host_s_policy(string host, string? verify, string? errorPage)
    {
        var policy = Assert.Single(Result.Value.Snapshot.HostPolicies, p => p.Host == host);
        Assert.Equal(verify, policy.ClientVerify);
        Assert.Equal(errorPage, policy.ClientErrorPage);
        Assert.Equal(verify is not null || errorPage is not null, policy.ClientCheckedAtRequest);
    }

    [Fact]
    public void Client_certificate_annotations_that_cannot_apply_are_reported_on_their_ingress()
    {
        string? Reported(string ingress, string annotation) => Result.Value.Diagnostics
            .SingleOrDefault(d => d.Object?.ToString() == $"Ingress default/{ingress}" && d.Field == $"metadata.annotations[nginx.ingress.kubernetes.io/{annotation}]") is { } d
            ? $"{d.Severity} {d.Code}"
            : null;

        Assert.Null(Reported("client-certs-optional", "auth-tls-verify-client"));
        Assert.Equal("Error InvalidAnnotation", Reported("client-certs-elsewhere", "auth-tls-secret"));
        Assert.Equal("Warning InvalidAnnotation", Reported("client-certs-both", "auth-tls-secret"));
        Assert.Null(Reported("client-certs-example", "auth-tls-verify-depth"));
        Assert.Null(Reported("client-certs-example", "auth-tls-error-page"));
        Assert.Null(Reported("client-certs-example", "auth-tls-secret"));
        Assert.Null(Reported("client-certs-served", "auth-tls-match-cn"));
    }

    /// <summary>
    /// proxy-redirect-* and proxy-cookie-* as ingress-nginx's e2e test sets them, applied by the data plane's own code to the
    /// answer a pod gives: off and default change nothing, the text and PCRE forms rewrite Location, the cookie pair
    /// rewrites Domain and Path; a bad value leaves the Ingress without the rewrite (it has no last good version).
    /// </summary>
    [Theory]
    [InlineData("redirect-off.example.com", "http://hello.com/v1/a", "http://hello.com/v1/a", "s=1; Domain=localhost; Path=/one/x")]
    [InlineData("redirect-default.example.com", "http://hello.com/v1/a", "http://hello.com/v1/a", "s=1; Domain=localhost; Path=/one/x")]
    [InlineData("redirect-text.example.com", "http://hello.com/v1/a", "http://goodbye.com/v1/a", "s=1; Domain=localhost; Path=/one/x")]
    [InlineData("redirect-text.example.com", "http://HELLO.com/v1/a", "http://HELLO.com/v1/a", "s=1; Domain=localhost; Path=/one/x")]
    [InlineData("redirect-pcre.example.com", "https://hello.com/v1/a?b=c", "https://redirect-pcre.example.com/a?b=c", "s=1; Domain=localhost; Path=/one/x")]
    [InlineData("cookies.example.com", "http://hello.com/v1/a", "http://hello.com/v1/a", "s=1; Domain=example.org; Path=/x")]
    [InlineData("cookies-bad.example.com", "http://hello.com/v1/a", "http://hello.com/v1/a", "s=1; Domain=localhost; Path=/one/x")]
    public void Proxy_redirect_and_proxy_cookie_rewrite_the_pod_s_answer_as_nginx_does(string host, string location, string expectedLocation, string expectedCookie)
    {
        var (route, context) = Route(host, "/");
        var headers = context.Response.Headers;
        headers.Location = location;
        headers.SetCookie = "s=1; Domain=localhost; Path=/one/x";
        if (route.Filters?.ResponseRewrite is { } rewrite)
        {
            ResponseRewrites.Apply(headers, rewrite, host, "http");
        }

        Assert.Equal(expectedLocation, headers.Location.ToString());
        Assert.Equal(expectedCookie, headers.SetCookie.ToString());
    }

    private static (Route Route, DefaultHttpContext Context) Route(string host, string target)
    {
        var context = new DefaultHttpContext();
        var q = target.IndexOf('?', StringComparison.Ordinal);
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(host);
        context.Request.Path = q < 0 ? target : target[..q];
        context.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(target[q..]);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        var table = new RouteTable(Result.Value.Snapshot);
        var route = table.Match(context.Request.Host.Host, context.Request.Path.Value);
        Assert.True(route is not null, $"no route for {host}{target}");
        return (route, context);
    }
}
