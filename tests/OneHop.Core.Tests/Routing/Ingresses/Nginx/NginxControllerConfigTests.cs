using System.Security.Authentication;
using System.Text.RegularExpressions;
using k8s.Models;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.State;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's controller ConfigMap (<c>--nginx-configmap</c>): each key with a OneHop meaning parsed as ingress-nginx
/// documents it; the order annotation, then ConfigMap, then OneHop's default; every other key reported; a bad value
/// keeps the last good ConfigMap; docs/ingress-nginx.md's table agrees with the registry.
/// </summary>
public sealed partial class NginxControllerConfigTests
{
    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static readonly OneHopConfig Config = OneHopConfig.Default with { Ingress = OneHopConfig.Default.Ingress with { NginxConfigMap = MapKey } };

    [Theory]
    [InlineData("proxy-body-size", "8m", "8 mb")]
    [InlineData("proxy-connect-timeout", "10", "10s")]
    [InlineData("proxy-read-timeout", "120", "0")]
    [InlineData("proxy-send-timeout", "30", "-1")]
    [InlineData("proxy-next-upstream", "error timeout", "error sometimes")]
    [InlineData("proxy-next-upstream-tries", "2", "two")]
    [InlineData("ssl-redirect", "false", "no")]
    [InlineData("force-ssl-redirect", "true", "yes")]
    [InlineData("load-balance", "ewma", "least_conn")]
    [InlineData("custom-http-errors", "404,503", "200")]
    [InlineData("whitelist-source-range", "10.0.0.0/8, 192.168.1.1", "10.0.0.0/33")]
    [InlineData("denylist-source-range", "203.0.113.0/24", "nobody")]
    [InlineData("hsts", "true", "on")]
    [InlineData("hsts-max-age", "600", "a year")]
    [InlineData("hsts-include-subdomains", "false", "maybe")]
    [InlineData("hsts-preload", "true", "sure")]
    [InlineData("allow-snippet-annotations", "false", "never")]
    [InlineData("proxy-buffering", "off", "no")]
    [InlineData("proxy-buffer-size", "16k", "16 kB")]
    [InlineData("proxy-request-buffering", "on", "yes")]
    [InlineData("proxy-buffers-number", "8", "eight")]
    [InlineData("proxy-busy-buffers-size", "32k", "big")]
    [InlineData("client-body-buffer-size", "1m", "1mb")]
    [InlineData("add-headers", "ingress-nginx/custom-headers", "custom-headers")]
    [InlineData("proxy-set-headers", "ingress-nginx/request-headers", "ingress-nginx/request/headers")]
    [InlineData("hide-headers", "Server, X-Powered-By", "X Powered By")]
    [InlineData("global-allowed-response-headers", "X-Using-Nginx-Controller,X-Frame-Options", "X-Frame-Options: DENY")]
    [InlineData("proxy-redirect-from", "~^(http|https)://hello.com/v1/(.*)$", "hello.com goodbye.com")]
    [InlineData("proxy-redirect-to", "$scheme://$host/$2", "$server_name/")]
    [InlineData("proxy-cookie-domain", "localhost example.org", "localhost")]
    [InlineData("proxy-cookie-path", "/one/ /", "/one/")]
    [InlineData("global-auth-url", "http://oauth2-proxy.auth.svc.cluster.local:4180/oauth2/auth", "/oauth2/auth")]
    [InlineData("global-auth-method", "POST", "FETCH")]
    [InlineData("global-auth-signin", "https://$host/oauth2/start?rd=$escaped_request_uri", "/oauth2/start")]
    [InlineData("global-auth-signin-redirect-param", "return_to", "return to")]
    [InlineData("global-auth-response-headers", "X-Auth-Request-User, X-Auth-Request-Email", "X Auth")]
    [InlineData("global-auth-request-redirect", "https://$host$request_uri", "https://$server_name/")]
    [InlineData("global-auth-always-set-cookie", "true", "sometimes")]
    [InlineData("proxy-next-upstream-timeout", "0", "-1")]
    [InlineData("enable-opentelemetry", "false", "off")]
    [InlineData("disable-access-log", "true", "yes")]
    [InlineData("skip-access-log-urls", "/healthz, ~*^/metrics", "/ok, ~(?<=a)b")]
    [InlineData("opentelemetry-trust-incoming-span", "false", "0.5")]
    [InlineData("opentelemetry-operation-name", "HTTP $request_method $service_name $uri", "HTTP $request_method $location_path")]
    [InlineData("opentelemetry-operation-name", "${namespace}.${ingress_name} $http_x_tenant", "HTTP; return 200")]
    [InlineData("global-auth-cache-key", "$cookie__oauth2_proxy", "$session")]
    [InlineData("global-auth-cache-duration", "200 30m", "30 minutes")]
    [InlineData("use-forwarded-headers", "true", "yes")]
    [InlineData("enable-real-ip", "true", "on")]
    [InlineData("compute-full-forwarded-for", "true", "always")]
    [InlineData("forwarded-for-header", "CF-Connecting-IP", "X Forwarded For")]
    [InlineData("proxy-real-ip-cidr", "10.0.0.0/8, 192.168.1.1, 2001:db8::/32", "10.0.0.0/33")]
    [InlineData("proxy-real-ip-cidr", "173.245.48.0/20", "")]
    [InlineData("proxy-real-ip-cidr", "0.0.0.0/0", "10.0.0.0/8, load-balancer")]
    [InlineData("use-proxy-protocol", "true", "maybe")]
    [InlineData("ssl-protocols", "TLSv1.2 TLSv1.3", "TLSv1.4")]
    [InlineData("generate-request-id", "true", "yes")]
    [InlineData("proxy-add-original-uri-header", "true", "on")]
    [InlineData("limit-rate", "512", "512 KiB")]
    [InlineData("limit-rate-after", "0", "1.5")]
    [InlineData("enable-ocsp", "true", "yes")]
    [InlineData("limit-req-status-code", "429", "200")]
    [InlineData("http-redirect-code", "301", "303")]
    [InlineData("ssl-reject-handshake", "true", "on")]
    [InlineData("limit-conn-status-code", "503", "600")]
    [InlineData("block-cidrs", "192.0.2.1, 198.51.100.0/24, 2001:db8::/32", "10.0.0.0/8, badhost")]
    [InlineData("block-user-agents", "curl/7.88.1, ~*bot\\b", "~(?<=a)b")]
    [InlineData("block-referers", "~*spam\\.example", "~")]
    [InlineData("use-gzip", "true", "on")]
    [InlineData("gzip-level", "5", "10")]
    [InlineData("gzip-min-length", "1000", "1k")]
    [InlineData("gzip-types", "text/css application/json", "text/css, application/json")]
    [InlineData("gzip-disable", "msie6", "(?<=MSIE)6")]
    [InlineData("enable-brotli", "true", "yes")]
    [InlineData("brotli-level", "11", "12")]
    [InlineData("brotli-min-length", "20", "-1")]
    [InlineData("brotli-types", "*", "text/*/x")]
    public void A_good_value_is_a_default_and_a_bad_one_an_error_naming_the_key(string key, string good, string bad)
    {
        var diagnostics = new List<Diagnostic>();
        var (config, problems) = Read(new() { [key] = good }, diagnostics);
        Assert.Equal(0, problems);
        Assert.Empty(diagnostics);
        Assert.Equal([new KeyValuePair<string, string>(key, good)], config.Defaults);

        var (badConfig, badProblems) = Read(new() { [key] = bad }, diagnostics);
        Assert.Equal(1, badProblems);
        Assert.Empty(badConfig.Defaults);
        var error = Assert.Single(diagnostics);
        Assert.Equal((DiagnosticSeverity.Error, DiagnosticCodes.InvalidConfigMapEntry, $"data[{key}]"), (error.Severity, error.Code, error.Field));
        Assert.Equal(new ObjectRef(KubeKinds.ConfigMap, MapKey), error.Object);
    }

    public static TheoryData<string> Unsupported() =>
        [.. NginxConfigMapKeys.All.Where(k => k.Support == NginxSupport.Unsupported).Select(k => k.Name)];

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void An_unsupported_key_is_reported_with_why(string key)
    {
        var diagnostics = new List<Diagnostic>();
        var (config, problems) = Read(new() { [key] = "true" }, diagnostics);
        Assert.Equal(0, problems);
        Assert.Empty(config.Defaults);
        var warning = Assert.Single(diagnostics);
        Assert.Equal((DiagnosticSeverity.Warning, DiagnosticCodes.UnsupportedConfigMapKey, $"data[{key}]"), (warning.Severity, warning.Code, warning.Field));
        Assert.Contains(NginxConfigMapKeys.ByName[key].Note, warning.Message, StringComparison.Ordinal); // a tracing key adds the flag that replaces it
    }

    [Theory]
    [InlineData("forwarded-for-proxy-protocol-header", "proxyProtocol")]
    public void A_listener_setting_names_the_onehop_setting_that_does_it(string key, string setting)
    {
        var diagnostics = new List<Diagnostic>();
        Read(new() { [key] = "true" }, diagnostics);
        Assert.Contains(setting, Assert.Single(diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_listed_never_dropped()
    {
        var diagnostics = new List<Diagnostic>();
        Read(new() { ["proxy-magic"] = "on" }, diagnostics);
        var warning = Assert.Single(diagnostics);
        Assert.Equal((DiagnosticCodes.UnknownConfigMapKey, "data[proxy-magic]"), (warning.Code, warning.Field));
    }

    /// <summary>
    /// Tracing: without either key or annotation a route has none of its own (traced, trusting the client); the
    /// ConfigMap's enable-opentelemetry: "false" turns it off for every Ingress but one whose annotation turns it on.
    /// </summary>
    [Fact]
    public void Enable_opentelemetry_in_the_configmap_is_every_ingress_s_default_and_the_annotation_wins()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null)
            + Ingress("traced", "b.example.com", "enable-opentelemetry: \"true\"\n    nginx.ingress.kubernetes.io/opentelemetry-trust-incoming-span: \"false\"");
        var without = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), Config));
        Assert.Null(without.Snapshot.Routes.Single(r => r.Host == "a.example.com").Tracing);
        Assert.Equal(new RouteTracing(true, false), without.Snapshot.Routes.Single(r => r.Host == "b.example.com").Tracing);
        Assert.True(new RouteTable(without.Snapshot).HasRouteTracing);

        var with = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap("enable-opentelemetry: \"false\"")), Config));
        Assert.Equal(new RouteTracing(false, true), with.Snapshot.Routes.Single(r => r.Host == "a.example.com").Tracing);
        Assert.Equal(new RouteTracing(true, false), with.Snapshot.Routes.Single(r => r.Host == "b.example.com").Tracing);
        Assert.DoesNotContain(with.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);

        // "true" everywhere is what a route without its own tracing gets: the data plane looks no route up for it.
        var on = Translator.Translate(TranslatorInput.Of(Manifests.State(Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null) + ControllerMap("enable-opentelemetry: \"true\"")), Config));
        Assert.Equal(RouteTracing.Default, Assert.Single(on.Snapshot.Routes).Tracing);
        Assert.False(new RouteTable(on.Snapshot).HasRouteTracing);
    }

    /// <summary>
    /// The span name: the ConfigMap's with the location's variables filled in per rule (the request's stay for each
    /// request), the annotation's word instead where an Ingress has one; neither needs the route before the span starts.
    /// </summary>
    [Fact]
    public void Opentelemetry_operation_name_fills_in_the_rule_s_variables_and_the_annotation_wins()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null) + Ingress("named", "b.example.com", "opentelemetry-operation-name: checkout")
            + ControllerMap("opentelemetry-operation-name: \"HTTP $request_method ${namespace}/$ingress_name $service_name:$service_port $uri\"");
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), Config));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        Assert.Equal("HTTP $request_method default/plain web:80 $uri", result.Snapshot.Routes.Single(r => r.Host == "a.example.com").Tracing?.OperationName);
        Assert.Equal(new RouteTracing(true, true) { OperationName = "checkout" }, result.Snapshot.Routes.Single(r => r.Host == "b.example.com").Tracing);
        Assert.False(new RouteTable(result.Snapshot).HasRouteTracing);
    }

    /// <summary>disable-access-log: "true" leaves every Ingress's requests unlogged, an Ingress's enable-access-log: "true" too (nginx's http-level access_log off).</summary>
    [Fact]
    public void Disable_access_log_keeps_every_ingress_out_of_the_log()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null) + Ingress("quiet", "b.example.com", "enable-access-log: \"false\"") + Ingress("loud", "c.example.com", "enable-access-log: \"true\"");
        var without = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), Config));
        Assert.Equal(["b.example.com"], without.Snapshot.Routes.Where(r => r.WithoutAccessLog).Select(r => r.Host));

        var with = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap("disable-access-log: \"true\"")), Config));
        Assert.All(with.Snapshot.Routes, r => Assert.True(r.WithoutAccessLog));
        Assert.DoesNotContain(with.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
    }

    /// <summary>
    /// use-gzip and enable-brotli: every Ingress's answers compressed with ingress-nginx's levels, lengths and types
    /// (text/html always among them), brotli first; an Ingress's onehop.dev/compression: "false" wins.
    /// </summary>
    [Fact]
    public void Use_gzip_and_enable_brotli_compress_every_ingress_but_one_that_says_false()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null) + Ingress("off", "b.example.com", null).Replace("x: y", "onehop.dev/compression: \"false\"", StringComparison.Ordinal);
        var without = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), Config));
        Assert.All(without.Snapshot.Routes, r => Assert.Null(r.Compression));

        var with = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap("use-gzip: \"true\"\n  gzip-level: \"6\"\n  gzip-types: \"application/json\"\n  gzip-disable: \"msie6\"\n  enable-brotli: \"true\"")), Config));
        Assert.DoesNotContain(with.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        Assert.Null(with.Snapshot.Routes.Single(r => r.Host == "b.example.com").Compression);
        var codings = with.Snapshot.Routes.Single(r => r.Host == "a.example.com").Compression!.Codings;
        Assert.Equal([("br", 4, 20L), ("gzip", 6, 256L)], codings.Select(c => (c.Name, c.Level, c.MinLength)));
        Assert.Equal(["text/html", "application/json"], codings[1].Types.Entries);
        Assert.Contains("application/xml+rss", codings[0].Types.Entries);
        Assert.True(codings[1].DisabledFor!.Matches("Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)"));
        Assert.False(codings[1].DisabledFor!.Matches("Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)"));
        Assert.Null(codings[0].DisabledFor);
    }

    /// <summary>An Ingress's own annotation, then the ConfigMap, then OneHop's default (no limit of its own: limits.maxRequestBodySize).</summary>
    [Fact]
    public void An_annotation_wins_over_the_configmap_which_wins_over_onehop_s_default()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null) + Ingress("annotated", "b.example.com", "proxy-body-size: 5m");
        var without = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), Config));
        Assert.All(without.Snapshot.Routes, r => Assert.Equal(r.Host == "b.example.com" ? 5L << 20 : null, r.Filters?.MaxRequestBodySize));
        Assert.Contains(without.Diagnostics, d => d.Code == DiagnosticCodes.UnknownConfigMap);

        var with = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap("proxy-body-size: 1m\n  proxy-read-timeout: \"30\"")), Config));
        Assert.Equal(1L << 20, with.Snapshot.Routes.Single(r => r.Host == "a.example.com").Filters?.MaxRequestBodySize);
        Assert.Equal(5L << 20, with.Snapshot.Routes.Single(r => r.Host == "b.example.com").Filters?.MaxRequestBodySize);
        Assert.All(with.Snapshot.Routes, r => Assert.Equal(TimeSpan.FromSeconds(30), r.UpstreamTimeouts?.Read));
        Assert.DoesNotContain(with.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
    }

    [Fact]
    public void Without_nginx_configmap_a_map_of_that_name_is_not_read()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null) + ControllerMap("proxy-body-size: 1m");
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));
        Assert.Null(Assert.Single(result.Snapshot.Routes).Filters?.MaxRequestBodySize);
    }

    [Theory]
    [InlineData("hsts: \"true\"", "max-age=31536000; includeSubDomains")]
    [InlineData("hsts-max-age: \"600\"\n  hsts-include-subdomains: \"false\"\n  hsts-preload: \"true\"", "max-age=600; preload")]
    [InlineData("hsts: \"false\"\n  hsts-max-age: \"600\"", null)]
    [InlineData("ssl-redirect: \"false\"", null)]
    public void Hsts_keys_give_the_tls_hosts_ingress_nginx_s_header(string data, string? header)
    {
        var compiled = Compile(data, "ssl-redirect: \"true\"");
        Assert.Equal(header, compiled.TlsSettings.Hsts);
    }

    [Fact]
    public void Onehop_hsts_and_the_ingress_s_ssl_redirect_win_over_the_configmap()
    {
        var compiled = Compile("hsts: \"true\"\n  ssl-redirect: \"false\"\n  force-ssl-redirect: \"true\"", "ssl-redirect: \"true\"", onehopHsts: "max-age=60");
        Assert.Equal("max-age=60", compiled.TlsSettings.Hsts);
        Assert.True(compiled.TlsSettings.SslRedirect);
        Assert.True(compiled.TlsSettings.ForceSslRedirect);

        var plain = Compile("ssl-redirect: \"false\"", null);
        Assert.False(plain.TlsSettings.SslRedirect);
    }

    [Fact]
    public void Policy_keys_are_defaults_of_the_backends_and_annotations_override_them()
    {
        var compiled = Compile("load-balance: ewma\n  proxy-next-upstream-tries: \"2\"", "load-balance: round_robin");
        Assert.Equal("round-robin", compiled.PolicySettings.Last(s => s.Key == "load-balance").Value);
        Assert.Equal("2", compiled.PolicySettings.Last(s => s.Key == "retries").Value);
        Assert.Equal($"ConfigMap {MapKey} data[proxy-next-upstream-tries]", compiled.PolicySettings.Last(s => s.Key == "retries").Field);
    }

    [Fact]
    public void Global_source_ranges_and_custom_http_errors_apply_where_the_ingress_has_none()
    {
        var plain = Compile("whitelist-source-range: 10.0.0.0/8\n  denylist-source-range: 10.1.0.0/16\n  custom-http-errors: \"503\"", null);
        Assert.Equal(["10.0.0.0/8"], plain.Nginx.SourceRanges!.Allow);
        Assert.Equal(["10.1.0.0/16"], plain.Nginx.SourceRanges.Deny);
        Assert.Equal([503], plain.Nginx.CustomHttpErrors);

        var own = Compile("whitelist-source-range: 10.0.0.0/8\n  custom-http-errors: \"503\"", "allowlist-source-range: 192.168.0.0/16\n    nginx.ingress.kubernetes.io/custom-http-errors: \"404\"");
        Assert.Equal(["192.168.0.0/16"], own.Nginx.SourceRanges!.Allow);
        Assert.Equal([404], own.Nginx.CustomHttpErrors);
    }

    /// <summary>
    /// block-cidrs is denied on every Ingress before its own lists, also where an Ingress's own allow list would replace
    /// nginx's http-level deny; block-user-agents and block-referers become the routes' blocks.
    /// </summary>
    [Fact]
    public void Block_keys_refuse_on_every_ingress_whatever_its_own_lists()
    {
        const string data = "block-cidrs: \"192.0.2.0/24, 2001:db8::1\"\n  denylist-source-range: 10.1.0.0/16\n  block-user-agents: \"Evil/1.0, ~*crawler\"\n  block-referers: \"~spam\\\\.example$\"";
        var plain = Compile(data, null);
        Assert.Equal(["192.0.2.0/24", "2001:db8::1", "10.1.0.0/16"], plain.Nginx.SourceRanges!.Deny);
        Assert.False(plain.Nginx.SourceRanges.Permits(System.Net.IPAddress.Parse("192.0.2.9")));
        Assert.True(plain.Nginx.SourceRanges.Permits(System.Net.IPAddress.Parse("198.51.100.9")));

        var own = Compile(data, "allowlist-source-range: 192.0.2.0/24");
        Assert.Equal(["192.0.2.0/24"], own.Nginx.SourceRanges!.Allow);
        Assert.Equal(["192.0.2.0/24", "2001:db8::1", "10.1.0.0/16"], own.Nginx.SourceRanges.Deny);
        Assert.False(own.Nginx.SourceRanges.Permits(System.Net.IPAddress.Parse("192.0.2.9")));

        var blocks = plain.Nginx.Blocks!;
        Assert.True(blocks.Refuses("evil/1.0", string.Empty)); // a plain entry: the whole value, case ignored
        Assert.False(blocks.Refuses("Evil/1.0 (compatible)", string.Empty));
        Assert.True(blocks.Refuses("Mozilla/5.0 (compatible; SomeCrawler/2.1)", string.Empty));
        Assert.True(blocks.Refuses(string.Empty, "https://spam.example"));
        Assert.False(blocks.Refuses(string.Empty, "https://SPAM.example")); // ~ is case-sensitive
        Assert.False(blocks.Refuses(string.Empty, string.Empty));

        // Every route of every Ingress, its redirects too: nginx's server-level if comes before any return.
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null)
            + Ingress("moved", "b.example.com", "permanent-redirect: https://elsewhere.example.com/")
            + Ingress("rooted", "c.example.com", "app-root: /app") + Ingress("www", "d.example.com", "from-to-www-redirect: \"true\"");
        var translated = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap(data)), Config));
        Assert.DoesNotContain(translated.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        Assert.Equal(["a.example.com", "b.example.com", "c.example.com", "c.example.com", "d.example.com", "www.d.example.com"], translated.Snapshot.Routes.Select(r => r.Host).Order(StringComparer.Ordinal));
        Assert.All(translated.Snapshot.Routes, r => Assert.Equal(blocks, r.Filters?.Blocks));
        var none = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), Config));
        Assert.All(none.Snapshot.Routes, r => Assert.Null(r.Filters?.Blocks));
    }

    /// <summary>http-redirect-code: the status of the HTTPS redirects (the snapshot's) and of from-to-www-redirect; 308 without it.</summary>
    [Theory]
    [InlineData("proxy-body-size: 1m", 308)]
    [InlineData("http-redirect-code: \"302\"", 302)]
    public void Http_redirect_code_is_the_status_of_https_and_www_redirects(string data, int expected)
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("www", "d.example.com", "from-to-www-redirect: \"true\"");
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap(data)), Config));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        Assert.Equal(expected, result.Snapshot.HttpsRedirectStatus);
        Assert.Equal(expected, result.Snapshot.Routes.Single(r => r.Host == "www.d.example.com").Filters!.Redirect!.StatusCode);
    }

    /// <summary>limit-rate paces only with proxy-buffering on (nginx does not pace what it does not buffer), from the ConfigMap or the Ingress.</summary>
    [Theory]
    [InlineData("limit-rate: \"100\"", null, false)]
    [InlineData("limit-rate: \"100\"\n  proxy-buffering: \"on\"", null, true)]
    [InlineData("proxy-buffering: \"on\"", "limit-rate: \"100\"", true)]
    [InlineData("limit-rate: \"100\"\n  proxy-buffering: \"on\"", "proxy-buffering: \"off\"", false)]
    public void Limit_rate_paces_only_with_proxy_buffering_on(string data, string? annotation, bool paced)
    {
        var compiled = Compile(data, annotation);
        Assert.Equal(paced ? new RouteResponseRate(100 * 1024, 0) : null, compiled.Nginx.ResponseRate);
    }

    /// <summary>An Ingress's limit-rate without proxy-buffering on is valid but paces nothing: a warning says why.</summary>
    [Theory]
    [InlineData("limit-rate: \"100\"", true)]
    [InlineData("limit-rate: \"0\"", false)]
    [InlineData("limit-rate: \"100\"\n    nginx.ingress.kubernetes.io/proxy-buffering: \"on\"", false)]
    public void Limit_rate_without_proxy_buffering_is_a_warning(string annotations, bool warned)
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("paced", "a.example.com", annotations);
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), Config));
        var warnings = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning && d.Field == "metadata.annotations[nginx.ingress.kubernetes.io/limit-rate]").ToList();
        Assert.Equal(warned ? 1 : 0, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("proxy-buffering", w.Message, StringComparison.Ordinal));
        Assert.NotEmpty(result.Snapshot.Routes);
    }

    /// <summary>limit-req-status-code and limit-conn-status-code become the statuses of every Ingress's limits.</summary>
    [Fact]
    public void Limit_status_codes_apply_to_every_ingress_s_limits()
    {
        var limited = Compile("limit-req-status-code: \"429\"\n  limit-conn-status-code: \"409\"", "limit-rps: \"5\"");
        Assert.Equal((429, 409), (limited.Nginx.RateLimit!.RateStatus, limited.Nginx.RateLimit.ConnectionsStatus));
        var plain = Compile("proxy-body-size: 1m", "limit-rps: \"5\"");
        Assert.Equal((503, 503), (plain.Nginx.RateLimit!.RateStatus, plain.Nginx.RateLimit.ConnectionsStatus));
    }

    /// <summary>proxy-add-original-uri-header: "true" marks every Ingress's routes; without it none.</summary>
    [Fact]
    public void Proxy_add_original_uri_header_marks_every_ingress_s_routes()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null) + Ingress("other", "b.example.com", "rewrite-target: /");
        var without = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), Config));
        Assert.All(without.Snapshot.Routes, r => Assert.False(r.AddsOriginalUri));

        var with = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap("proxy-add-original-uri-header: \"true\"")), Config));
        Assert.All(with.Snapshot.Routes, r => Assert.True(r.AddsOriginalUri));
        Assert.Equal(2, with.Snapshot.Routes.Length);
    }

    [Fact]
    public void Global_auth_goes_to_every_ingress_without_auth_url_and_enable_global_auth_false()
    {
        const string data = "global-auth-url: http://auth.example.com/check\n  global-auth-method: POST\n  global-auth-response-headers: X-User";
        var global = Compile(data, null).Nginx;
        Assert.Equal(("http://auth.example.com/check", "POST", "X-User"), (global.ExternalAuth!.Url, global.ExternalAuth.Method, string.Join(',', global.ExternalAuth.ResponseHeaders)));
        Assert.Equal($"ConfigMap {MapKey} data[global-auth-url]", global.ExternalAuthField);

        Assert.Null(Compile(data, "enable-global-auth: \"false\"").Nginx.ExternalAuth);

        // An Ingress's own auth-url replaces global-auth-* whole: no global setting is mixed into it.
        var own = Compile(data, "auth-url: http://own.example.com/check").Nginx;
        Assert.Equal(("http://own.example.com/check", null, 0), (own.ExternalAuth!.Url, own.ExternalAuth.Method, own.ExternalAuth.ResponseHeaders.Length));
        Assert.Equal($"metadata.annotations[{NginxAnnotations.Prefix}auth-url]", own.ExternalAuthField);

        // The auth-* annotations without auth-url mean nothing, with or without global auth.
        Assert.Equal("POST", Compile(data, "auth-method: GET").Nginx.ExternalAuth!.Method);
    }

    [Fact]
    public void Auth_cache_key_keeps_answers_for_auth_cache_duration_or_ingress_nginx_default()
    {
        Assert.Null(Compile("ssl-redirect: \"false\"", "auth-url: http://auth.example.com/check").Nginx.ExternalAuth!.Cache);

        var cache = Compile("ssl-redirect: \"false\"", "auth-url: http://auth.example.com/check\n    nginx.ingress.kubernetes.io/auth-cache-key: $remote_user$http_authorization").Nginx.ExternalAuth!.Cache!;
        Assert.Equal("$remote_user$http_authorization", cache.Key);
        Assert.Equal([new AuthCacheValidity([200, 202, 401], TimeSpan.FromMinutes(5))], cache.Valid);

        var rules = Compile("ssl-redirect: \"false\"", "auth-url: http://auth.example.com/check\n    nginx.ingress.kubernetes.io/auth-cache-key: $http_authorization\n    nginx.ingress.kubernetes.io/auth-cache-duration: \"200 202 1h30m, any 10, 30s\"").Nginx.ExternalAuth!.Cache!.Valid;
        Assert.Equal(
            [new AuthCacheValidity([200, 202], TimeSpan.FromMinutes(90)), new AuthCacheValidity([], TimeSpan.FromSeconds(10)), new AuthCacheValidity([200, 301, 302], TimeSpan.FromSeconds(30))],
            rules);

        // global-auth-cache-* go with global-auth-url; an Ingress's own auth-url without a key keeps nothing.
        const string data = "global-auth-url: http://auth.example.com/check\n  global-auth-cache-key: $cookie_session\n  global-auth-cache-duration: 200 1m";
        Assert.Equal(("$cookie_session", TimeSpan.FromMinutes(1)), (Compile(data, null).Nginx.ExternalAuth!.Cache!.Key, Compile(data, null).Nginx.ExternalAuth!.Cache!.Valid[0].Duration));
        Assert.Null(Compile(data, "auth-url: http://own.example.com/check").Nginx.ExternalAuth!.Cache);
    }

    [Fact]
    public void Response_rewrites_of_the_configmap_apply_where_the_ingress_has_none()
    {
        const string data = "proxy-redirect-from: http://internal/\n  proxy-redirect-to: https://public/\n  proxy-cookie-path: /app/ /";
        var global = Compile(data, null).Nginx.ResponseRewrite;
        Assert.NotNull(global?.Redirect);
        Assert.NotNull(global.CookiePath);
        Assert.Null(global.CookieDomain);

        // The Ingress's own value wins; off switches the ConfigMap's rewrite off for it.
        Assert.Null(Compile("proxy-redirect-from: http://internal/\n  proxy-redirect-to: https://public/", "proxy-redirect-from: \"off\"").Nginx.ResponseRewrite);
    }

    [Theory]
    [InlineData("", "/.well-known/acme-challenge/token", false)]
    [InlineData("", "/.well-known/acme-challenge", false)]
    [InlineData("", "/app", true)]
    [InlineData("no-auth-locations: \"/public, /health\"", "/health/live", false)]
    [InlineData("no-auth-locations: \"/public, /health\"", "/.well-known/acme-challenge/token", true)]
    [InlineData("no-auth-locations: \"\"", "/.well-known/acme-challenge/token", true)]
    public void No_auth_locations_are_path_prefixes_left_without_any_authentication(string key, string path, bool authenticated)
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + $$"""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: app
              namespace: default
              annotations: {nginx.ingress.kubernetes.io/auth-type: basic, nginx.ingress.kubernetes.io/auth-secret: users}
            spec:
              rules:
              - host: app.example.com
                http:
                  paths:
                  - path: "{{path}}"
                    pathType: Prefix
                    backend:
                      service:
                        name: web
                        port:
                          number: 80
            ---

            """;
        var state = Manifests.State(yaml + ControllerMap("global-auth-url: http://auth.example.com/check\n  " + key));
        var route = Assert.Single(Translator.Translate(new TranslatorInput(state, Config, TranslationMemory.Empty)).Snapshot.Routes);
        Assert.Equal(authenticated, route.Filters?.ExternalAuth is not null);
        Assert.Equal(authenticated, route.Filters?.BasicAuth is not null);
    }

    /// <summary>
    /// The client-address keys become the snapshot's trusted proxies, with ingress-nginx's defaults: X-Forwarded-For,
    /// 0.0.0.0/0, recursive; use-forwarded-headers also believes X-Forwarded-Proto/-Host/-Port, enable-real-ip does not;
    /// compute-full-forwarded-for only counts with use-forwarded-headers.
    /// </summary>
    [Theory]
    [InlineData("", null, null, false, false)]
    [InlineData("use-forwarded-headers: \"false\"\n  proxy-real-ip-cidr: 10.0.0.0/8", null, null, false, false)]
    [InlineData("use-forwarded-headers: \"true\"", "0.0.0.0/0", "X-Forwarded-For", true, false)]
    [InlineData("use-forwarded-headers: \"true\"\n  compute-full-forwarded-for: \"true\"\n  proxy-real-ip-cidr: 10.0.0.0/8, 2001:db8::/32", "10.0.0.0/8,2001:db8::/32", "X-Forwarded-For", true, true)]
    [InlineData("enable-real-ip: \"true\"\n  compute-full-forwarded-for: \"true\"\n  forwarded-for-header: CF-Connecting-IP", "0.0.0.0/0", "CF-Connecting-IP", false, false)]
    public void Client_address_keys_become_the_snapshot_s_trusted_proxies(string data, string? cidrs, string? header, bool xForwarded, bool append)
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null);
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap(data.Length == 0 ? "proxy-body-size: 1m" : data)), Config));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        var trusted = result.Snapshot.TrustedProxies;
        if (cidrs is null)
        {
            Assert.Null(trusted);
            return;
        }

        Assert.Equal(new TrustedProxiesConfig([.. cidrs.Split(',').Select(System.Net.IPNetwork.Parse)], header!, Recursive: true, xForwarded, append), trusted);
    }

    /// <summary>ssl-protocols becomes the versions every HTTPS listener offers: the ones of nginx's names OneHop has.</summary>
    [Theory]
    [InlineData("", null)]
    [InlineData("ssl-protocols: TLSv1.3", SslProtocols.Tls13)]
    [InlineData("ssl-protocols: TLSv1.2 TLSv1.3", SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData("ssl-protocols: TLSv1 TLSv1.1 TLSv1.2", SslProtocols.Tls12)] // the older ones offer nothing
    public void Ssl_protocols_becomes_the_snapshot_s_server_tls_versions(string data, SslProtocols? expected)
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null);
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap(data.Length == 0 ? "proxy-body-size: 1m" : data)), Config));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        Assert.Equal(expected, result.Snapshot.ServerTlsProtocols);
    }

    /// <summary>enable-ocsp, or the config file's tls.ocspStapling, turns stapling on for the whole proxy; either alone does.</summary>
    [Theory]
    [InlineData("", false, false)]
    [InlineData("enable-ocsp: \"true\"", false, true)]
    [InlineData("enable-ocsp: \"false\"", false, false)]
    [InlineData("", true, true)]
    [InlineData("enable-ocsp: \"false\"", true, true)]
    public void Enable_ocsp_or_the_config_file_staples(string data, bool configFile, bool expected)
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null);
        var config = Config with { Tls = Config.Tls with { OcspStapling = configFile } };
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap(data.Length == 0 ? "proxy-body-size: 1m" : data)), config));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        Assert.Equal(expected, result.Snapshot.OcspStapling);
    }

    /// <summary>ssl-reject-handshake, or the config file's tls.rejectUnknownNames, refuses unknown names for the whole proxy; either alone does.</summary>
    [Theory]
    [InlineData("", false, false)]
    [InlineData("ssl-reject-handshake: \"true\"", false, true)]
    [InlineData("", true, true)]
    public void Ssl_reject_handshake_or_the_config_file_refuses_unknown_names(string data, bool configFile, bool expected)
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null);
        var config = Config with { Tls = Config.Tls with { RejectUnknownNames = configFile } };
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap(data.Length == 0 ? "proxy-body-size: 1m" : data)), config));
        Assert.Equal(expected, result.Snapshot.RejectUnknownServerNames);
    }

    /// <summary>use-proxy-protocol: the PROXY protocol of listeners without their own, from proxy-real-ip-cidr's peers.</summary>
    [Theory]
    [InlineData("", null)]
    [InlineData("use-proxy-protocol: \"false\"", null)]
    [InlineData("use-proxy-protocol: \"true\"", "0.0.0.0/0")]
    [InlineData("use-proxy-protocol: \"true\"\n  proxy-real-ip-cidr: 10.0.0.0/8, 2001:db8::/32", "10.0.0.0/8,2001:db8::/32")]
    public void Use_proxy_protocol_becomes_the_snapshot_s_proxy_protocol(string data, string? cidrs)
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null);
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap(data.Length == 0 ? "proxy-body-size: 1m" : data)), Config));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        Assert.Equal(cidrs is null ? null : new ProxyProtocolConfig([.. cidrs.Split(',').Select(System.Net.IPNetwork.Parse)]), result.Snapshot.ProxyProtocol);
        Assert.Null(result.Snapshot.TrustedProxies); // the header's address is the client; no X-Forwarded-For is believed
    }

    [Theory]
    [InlineData("TLSv1 TLSv1.1", "names neither TLSv1.2 nor TLSv1.3")]
    [InlineData("TLSv1.2 TLSv9", "'TLSv9' is not one of nginx's ssl_protocols")]
    [InlineData("tlsv1.2", "'tlsv1.2' is not one of nginx's ssl_protocols")]
    public void A_bad_ssl_protocols_keeps_the_last_good_versions(string bad, string why)
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null);
        var good = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap("ssl-protocols: TLSv1.3")), Config));
        var next = Translator.Translate(new TranslatorInput(Manifests.State(yaml + ControllerMap($"ssl-protocols: {bad}")), Config, good.Memory));
        Assert.Equal(SslProtocols.Tls13, next.Snapshot.ServerTlsProtocols);
        var error = Assert.Single(next.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal((DiagnosticCodes.InvalidConfigMapEntry, "data[ssl-protocols]"), (error.Code, error.Field));
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    /// <summary>ssl-ciphers is the suites of every HTTPS listener, live; a bad list keeps the last good one.</summary>
    [Fact]
    public void Ssl_ciphers_becomes_the_snapshot_s_cipher_suites()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null);
        Assert.Null(Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap("proxy-body-size: 1m")), Config)).Snapshot.ServerCipherSuites);

        var good = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap("ssl-ciphers: ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256")), Config));
        Assert.DoesNotContain(good.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        Assert.Equal(TlsCipherSuiteList.Parse("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", out _), good.Snapshot.ServerCipherSuites);

        var next = Translator.Translate(new TranslatorInput(Manifests.State(yaml + ControllerMap("ssl-ciphers: HIGH:!aNULL")), Config, good.Memory));
        Assert.Equal(good.Snapshot.ServerCipherSuites, next.Snapshot.ServerCipherSuites);
        var error = Assert.Single(next.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal((DiagnosticCodes.InvalidConfigMapEntry, "data[ssl-ciphers]"), (error.Code, error.Field));
        Assert.Contains("'HIGH' is an OpenSSL alias or operator", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A bad client-address key: reported with the key, and the trusted proxies of the last good ConfigMap stay.</summary>
    [Fact]
    public void A_bad_client_address_key_keeps_the_last_good_trusted_proxies()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null);
        var good = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap("use-forwarded-headers: \"true\"\n  proxy-real-ip-cidr: 10.0.0.0/8")), Config));
        var expected = new TrustedProxiesConfig([System.Net.IPNetwork.Parse("10.0.0.0/8")], TrustsXForwarded: true);
        Assert.Equal(expected, good.Snapshot.TrustedProxies);

        var bad = Translator.Translate(new TranslatorInput(Manifests.State(yaml + ControllerMap("use-forwarded-headers: \"true\"\n  proxy-real-ip-cidr: 10.0.0.0/8, the-load-balancer")), Config, good.Memory));
        Assert.Equal(expected, bad.Snapshot.TrustedProxies);
        var error = Assert.Single(bad.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal((DiagnosticCodes.InvalidConfigMapEntry, "data[proxy-real-ip-cidr]"), (error.Code, error.Field));
        Assert.Contains("'the-load-balancer' is not an address or a network", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A bad value: reported, and the last good version stays in force (with none yet, its good keys apply).</summary>
    [Fact]
    public void A_bad_value_keeps_the_last_good_configmap()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null);
        var good = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml + ControllerMap("proxy-body-size: 1m")), Config));
        Assert.Equal(1L << 20, Assert.Single(good.Snapshot.Routes).Filters?.MaxRequestBodySize);

        var badState = Manifests.State(yaml + ControllerMap("proxy-body-size: 2m\n  proxy-read-timeout: soon"));
        var bad = Translator.Translate(new TranslatorInput(badState, Config, good.Memory));
        Assert.Equal(1L << 20, Assert.Single(bad.Snapshot.Routes).Filters?.MaxRequestBodySize);
        Assert.Null(Assert.Single(bad.Snapshot.Routes).UpstreamTimeouts);
        var error = Assert.Single(bad.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal((DiagnosticCodes.InvalidConfigMapEntry, "data[proxy-read-timeout]"), (error.Code, error.Field));
        Assert.Contains(bad.Diagnostics, d => d.Code == DiagnosticCodes.LastGoodKept && d.Object == new ObjectRef(KubeKinds.ConfigMap, MapKey));

        // The memory carries the good version on, and without one the good keys apply.
        var still = Translator.Translate(new TranslatorInput(badState, Config, bad.Memory));
        Assert.Equal(1L << 20, Assert.Single(still.Snapshot.Routes).Filters?.MaxRequestBodySize);
        var first = Translator.Translate(TranslatorInput.Of(badState, Config));
        Assert.Equal(2L << 20, Assert.Single(first.Snapshot.Routes).Filters?.MaxRequestBodySize);
    }

    [Fact]
    public void A_changed_configmap_recompiles_cached_ingresses()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Ingress("plain", "a.example.com", null);
        var state = Manifests.State(yaml + ControllerMap("proxy-body-size: 1m"));
        var cache = new TranslationCache();
        var first = Translator.Translate(new TranslatorInput(state, Config, TranslationMemory.Empty) { Cache = cache });
        Assert.Equal(1L << 20, Assert.Single(first.Snapshot.Routes).Filters?.MaxRequestBodySize);

        var map = state.ConfigMaps[MapKey];
        var changed = state with { ConfigMaps = state.ConfigMaps.SetItem(MapKey, new V1ConfigMap { Metadata = map.Metadata, Data = new Dictionary<string, string> { ["proxy-body-size"] = "3m" } }) };
        var second = Translator.Translate(new TranslatorInput(changed, Config, first.Memory) { Cache = cache });
        Assert.Equal(3L << 20, Assert.Single(second.Snapshot.Routes).Filters?.MaxRequestBodySize);
    }

    /// <summary>Every registry key is a row of docs/ingress-nginx.md's ConfigMap table, with its status, and no row is extra.</summary>
    [Fact]
    public void The_docs_table_agrees_with_the_registry()
    {
        var lines = File.ReadAllLines(Path.Combine(SourceTree.ProjectDirectory, "..", "..", "docs", "ingress-nginx.md"));
        var rows = lines.SkipWhile(l => l != "## The controller ConfigMap").TakeWhile(l => l == "## The controller ConfigMap" || !l.StartsWith("## ", StringComparison.Ordinal))
            .Select(l => DocRow().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        var expected = NginxConfigMapKeys.All.ToDictionary(
            k => k.Name,
            k => k.Support switch { NginxSupport.Honoured => "honoured", NginxSupport.Difference => "difference", _ => "not supported" },
            StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(p => p.Key), rows.OrderBy(p => p.Key));
    }

    [GeneratedRegex(@"^\| `([a-z0-9-]+)` \| [^|]* \| \*\*([a-z ]+)\*\*")]
    private static partial Regex DocRow();

    private static (NginxControllerConfig Config, int Problems) Read(Dictionary<string, string> data, List<Diagnostic> diagnostics)
    {
        diagnostics.Clear();
        var map = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = MapKey.Name, NamespaceProperty = MapKey.Namespace }, Data = data };
        return NginxControllerConfigReader.Read(MapKey, map, diagnostics, new ObjectRef(KubeKinds.ConfigMap, MapKey), ObjectOrigin.Kubernetes);
    }

    private static Core.Routing.Ingresses.CompiledIngress Compile(string data, string? annotation, string? onehopHsts = null)
    {
        var state = Manifests.State(ControllerMap(data));
        var (config, problems) = NginxControllerConfigReader.Read(MapKey, state.ConfigMaps[MapKey], [], new ObjectRef(KubeKinds.ConfigMap, MapKey), ObjectOrigin.Kubernetes);
        Assert.Equal(0, problems);
        var ingress = Manifests.State(Ingress("app", "app.example.com", annotation, tls: true, onehopHsts)).Ingresses.Values.Single();
        var diagnostics = new List<Diagnostic>();
        var compiled = Core.Routing.Ingresses.IngressCompiler.Compile(ingress, ObjectOrigin.Kubernetes, diagnostics, config);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        return compiled;
    }

    private static string ControllerMap(string data) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata: {"{"}name: {MapKey.Name}, namespace: {MapKey.Namespace}{"}"}
        data:
          {data}
        ---

        """;

    private static string Ingress(string name, string host, string? annotation, bool tls = false, string? onehopHsts = null) => $"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {name}
          namespace: default
          annotations:
            {(annotation is null ? "x: y" : "nginx.ingress.kubernetes.io/" + annotation)}
            {(onehopHsts is null ? "z: y" : "onehop.dev/hsts: " + onehopHsts)}
        spec:
          {(tls ? $"tls: [{{hosts: [{host}], secretName: cert}}]" : "tls: []")}
          rules:
          - host: {host}
            http:
              paths: [{"{"}path: /, pathType: Prefix, backend: {"{"}service: {"{"}name: web, port: {"{"}number: 80{"}"}{"}"}{"}"}{"}"}]
        ---

        """;
}
