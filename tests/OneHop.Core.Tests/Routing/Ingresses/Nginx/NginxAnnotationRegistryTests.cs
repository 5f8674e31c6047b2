using System.Text.RegularExpressions;
using k8s.Models;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Ingresses;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.State;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Ingresses.Nginx;

/// <summary>
/// The registry itself: each annotation's parser accepts what ingress-nginx documents and refuses the rest with an
/// error naming the annotation; every unsupported one is reported as such; docs/ingress-nginx.md's table agrees with it.
/// </summary>
public sealed partial class NginxAnnotationRegistryTests
{
    public static TheoryData<string> Unsupported() =>
        [.. NginxAnnotations.All.Where(a => a.Support == NginxSupport.Unsupported).Select(a => a.Name)];

    [Theory]
    [InlineData("use-regex", "true", "yes")]
    [InlineData("rewrite-target", "/$2", "/$2 ; return 200")]
    [InlineData("app-root", "/app1", "app1")]
    [InlineData("x-forwarded-prefix", "/path", "/a\nb")]
    [InlineData("upstream-vhost", "internal.example.com:8080", "$host")]
    [InlineData("ssl-redirect", "false", "off")]
    [InlineData("force-ssl-redirect", "true", "on")]
    [InlineData("permanent-redirect", "https://www.google.com", "/relative")]
    [InlineData("permanent-redirect-code", "308", "200")]
    [InlineData("temporal-redirect", "http://example.com/x", "ftp://example.com")]
    [InlineData("temporal-redirect-code", "307", "404")]
    [InlineData("from-to-www-redirect", "true", "maybe")]
    [InlineData("backend-protocol", "GRPCS", "FCGI")]
    [InlineData("load-balance", "round_robin", "least_conn")]
    [InlineData("upstream-hash-by", "$http_x_user", "$request_uri$host")]
    [InlineData("affinity", "cookie", "ip")]
    [InlineData("session-cookie-name", "route", "a b")]
    [InlineData("affinity-mode", "persistent", "sticky")]
    [InlineData("affinity-canary-behavior", "sticky", "balanced")]
    [InlineData("proxy-next-upstream-tries", "3", "-1")]
    [InlineData("proxy-next-upstream", "error timeout http_502", "error http_999")]
    [InlineData("proxy-next-upstream-timeout", "5", "5s")]
    [InlineData("enable-opentelemetry", "false", "off")]
    [InlineData("opentelemetry-trust-incoming-span", "false", "no")]
    [InlineData("opentelemetry-operation-name", "checkout_api-v2", "HTTP $request_method")] // ingress-nginx allows one word here
    [InlineData("opentelemetry-operation-name", "checkout", "check\nout")] // values are trimmed; a newline inside is no word
    [InlineData("proxy-buffering", "off", "no")]
    [InlineData("proxy-request-buffering", "on", "yes")]
    [InlineData("proxy-buffer-size", "8k", "8 kb")]
    [InlineData("proxy-buffers-number", "4", "four")]
    [InlineData("proxy-busy-buffers-size", "16k", "big")]
    [InlineData("proxy-max-temp-file-size", "0", "-1")]
    [InlineData("client-body-buffer-size", "1m", "1mb")]
    [InlineData("proxy-http-version", "1.1", "2")]
    [InlineData("enable-access-log", "false", "no")]
    [InlineData("enable-rewrite-log", "true", "no")]
    [InlineData("allowlist-source-range", "10.0.0.0/24, 172.10.0.1", "10.0.0.0/24, 300.1.1.1")]
    [InlineData("whitelist-source-range", "2001:db8::/32", "10.0.0.0/33")]
    [InlineData("denylist-source-range", "192.168.0.0/16", "everyone")]
    [InlineData("auth-type", "basic", "digest")]
    [InlineData("auth-secret", "basic-auth", "a/b/c")]
    [InlineData("auth-secret-type", "auth-file", "auth-map")]
    [InlineData("auth-realm", "Authentication Required - foo", "a\"b")]
    [InlineData("auth-url", "https://$host/oauth2/auth", "https://$server_name/oauth2/auth")]
    [InlineData("auth-url", "http://oauth2-proxy.auth.svc.cluster.local:4180/oauth2/auth", "/oauth2/auth")]
    [InlineData("auth-method", "POST", "FETCH")]
    [InlineData("auth-signin", "https://$host/oauth2/start?rd=$escaped_request_uri", "https://auth.example.com/start?rd=$target_url")]
    [InlineData("auth-signin-redirect-param", "redirect_uri", "a b")]
    [InlineData("auth-response-headers", "X-Auth-Request-User, X-Auth-Request-Email", "X-User;rm")]
    [InlineData("auth-request-redirect", "https://$host$request_uri", "$target")]
    [InlineData("auth-always-set-cookie", "true", "yes")]
    [InlineData("auth-cache-key", "$remote_user$http_authorization", "$request_body")]
    [InlineData("auth-cache-duration", "200 202 10m, 401 5m", "200 202 10x")]
    [InlineData("auth-cache-duration", "any 1h30m", "5m 200")] // the time comes last
    [InlineData("enable-global-auth", "false", "no")]
    [InlineData("auth-keepalive", "10", "many")]
    [InlineData("proxy-body-size", "8m", "8 mb")]
    [InlineData("limit-rps", "5", "5.5")]
    [InlineData("limit-rpm", "300", "-1")]
    [InlineData("limit-connections", "10", "ten")]
    [InlineData("limit-burst-multiplier", "3", "0")]
    [InlineData("limit-rate", "0", "100k")] // a rate alone is valid but warned of: it paces only with proxy-buffering on
    [InlineData("limit-rate-after", "1024", "-1")]
    [InlineData("limit-whitelist", "10.0.0.0/8, 192.168.1.7", "10.0.0.0/8;")]
    [InlineData("limit-allowlist", "2001:db8::/32", "anywhere")]
    [InlineData("auth-keepalive-requests", "1000", "0")]
    [InlineData("auth-keepalive-timeout", "60", "1m")]
    [InlineData("proxy-connect-timeout", "10", "10s")]
    [InlineData("proxy-read-timeout", "3600", "0")]
    [InlineData("proxy-send-timeout", "120", "-5")]
    [InlineData("proxy-ssl-verify", "on", "true")]
    [InlineData("session-cookie-path", "/app", "app")]
    [InlineData("session-cookie-max-age", "172800", "2d")]
    [InlineData("session-cookie-expires", "172800", "-1")]
    [InlineData("session-cookie-samesite", "None", "Sometimes")]
    [InlineData("session-cookie-secure", "true", "yes")]
    [InlineData("session-cookie-domain", ".example.com", "example.com; path=/")]
    [InlineData("session-cookie-conditional-samesite-none", "true", "maybe")]
    [InlineData("session-cookie-change-on-failure", "false", "maybe")]
    [InlineData("proxy-ssl-name", "web.pods.test", "$host")]
    [InlineData("proxy-ssl-server-name", "on", "yes")]
    [InlineData("proxy-ssl-verify-depth", "2", "-1")]
    [InlineData("proxy-ssl-protocols", "TLSv1.3 TLSv1.2", "TLSv1 TLSv1.1")]
    [InlineData("proxy-ssl-ciphers", "HIGH:!aNULL:!MD5", "HIGH; return 200")]
    [InlineData("proxy-ssl-ciphers", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256; return 200")]
    [InlineData("proxy-ssl-ciphers", "ECDHE-RSA-AES128-GCM-SHA256:!aNULL", "ECDHE-RSA-AES128-GCM-SHA265:!aNULL")]
    [InlineData("auth-tls-secret", "default/ca-secret", "ca-secret")] // ingress-nginx needs namespace/name
    [InlineData("auth-tls-verify-client", "optional", "maybe")]
    [InlineData("auth-tls-verify-client", "optional_no_ca", "On")]
    [InlineData("auth-tls-error-page", "http://www.mysite.com/error-cert.html", "/error-cert.html")] // a path: nginx serves it internally
    [InlineData("auth-tls-error-page", "https://errors.example.com:8443/cert", "@cert_error")]
    [InlineData("auth-tls-error-page", "https://errors.example.com/cert", "https://errors.example.com/cert?from=$host")]
    [InlineData("auth-tls-match-cn", "CN=(partner-1|partner-2)", "partner-1")]
    [InlineData("auth-tls-match-cn", "CN=partner", "CN=(?<=a)b")]
    [InlineData("auth-tls-pass-certificate-to-upstream", "true", "yes")]
    [InlineData("auth-tls-verify-depth", "2", "-1")]
    [InlineData("auth-tls-verify-depth", "0", "two")] // 0 is ingress-nginx's default, 1
    [InlineData("custom-http-errors", "404, 503", "404,200")]
    [InlineData("default-backend", "nginx-errors", "default/nginx-errors")]
    [InlineData("custom-headers", "default/custom-headers", "custom-headers")] // ingress-nginx looks the map up by namespace/name
    [InlineData("satisfy", "any", "some")]
    [InlineData("auth-proxy-set-headers", "default/auth-headers", "auth-headers")] // the same: a name alone finds no map in ingress-nginx
    [InlineData("mirror-target", "https://test.env.com/$request_uri", "https://test.env.com/$request_body")]
    [InlineData("mirror-target", "http://mirror.team.svc:8080$request_uri", "https://$host/$request_uri")] // the host is written out
    [InlineData("mirror-target", "https://1.2.3.4", "/mirror")]
    [InlineData("mirror-host", "test.env.com", "$host")]
    [InlineData("server-alias", "www.example.com, *.example.net,", "~^www\\d+\\.example\\.com$")]
    [InlineData("mirror-request-body", "off", "false")]
    [InlineData("proxy-redirect-from", "~^(http|https)://hello.com/v1/(.*)$", "hello.com goodbye.com")] // one word each
    [InlineData("proxy-redirect-from", "default", "~^/(?<=a)b")]
    [InlineData("proxy-redirect-to", "$scheme://$host/$2", "$server_name/")]
    [InlineData("proxy-redirect-to", "goodbye.com", "goodbye.com;return")]
    [InlineData("proxy-cookie-domain", "localhost example.org", "localhost")]
    [InlineData("proxy-cookie-domain", "off", "localhost example.org;")]
    [InlineData("proxy-cookie-path", "/one/ /", "/one/")]
    [InlineData("proxy-cookie-path", "~*^/user/([^/]+) /u/$1", "/one/ / /two/")]
    public void A_good_value_is_taken_and_a_bad_one_is_an_error_naming_the_annotation(string name, string good, string bad)
    {
        Assert.DoesNotContain(Compile(name, good), d => d.Severity != DiagnosticSeverity.Info);
        var error = Assert.Single(Compile(name, bad), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(DiagnosticCodes.InvalidAnnotation, error.Code);
        Assert.Equal($"metadata.annotations[nginx.ingress.kubernetes.io/{name}]", error.Field);
        Assert.Equal("Ingress default/app", error.Object?.ToString());
    }

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void An_unsupported_annotation_is_reported_with_why(string name)
    {
        var warning = Assert.Single(Compile(name, "true"));
        Assert.Equal(DiagnosticCodes.UnsupportedAnnotation, warning.Code);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains(NginxAnnotations.ByKey[NginxAnnotations.Prefix + name].Note, warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("default/pod-tls", "HTTPS", null)]
    [InlineData("default/pod-tls", "GRPCS", null)]
    [InlineData("pod-tls", "HTTPS", "Error")] // ingress-nginx needs namespace/name
    [InlineData("other/pod-tls", "HTTPS", "Error")] // another namespace: refused, as ingress-nginx does
    [InlineData("default/pod-tls", "HTTP", "Warning")] // not applied without TLS to the pods
    public void Proxy_ssl_secret_needs_namespace_name_of_the_ingress_s_namespace_and_an_https_backend(string secret, string protocol, string? severity)
    {
        var diagnostics = CompileIngress(Ingress(new Dictionary<string, string>
        {
            [NginxAnnotations.Prefix + "proxy-ssl-secret"] = secret,
            [NginxAnnotations.Prefix + "backend-protocol"] = protocol,
        }));
        var found = diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info).Select(d => $"{d.Severity} {d.Code} {d.Field}");
        Assert.Equal(severity is null ? [] : [$"{severity} InvalidAnnotation metadata.annotations[nginx.ingress.kubernetes.io/proxy-ssl-secret]"], found);
    }

    [Theory]
    [InlineData("default/ca", null, null, "ca", "nginx.ingress.kubernetes.io/auth-tls-secret", null)]
    [InlineData("default/ca", "on", null, "ca", "nginx.ingress.kubernetes.io/auth-tls-secret", null)]
    [InlineData("default/ca", "off", null, null, "onehop.dev/client-ca-secret", null)] // asks for no certificate
    [InlineData("other/ca", null, null, null, "onehop.dev/client-ca-secret", "Error InvalidAnnotation metadata.annotations[nginx.ingress.kubernetes.io/auth-tls-secret]")] // another tenant's CA
    [InlineData("default/ca", null, "own-ca", "own-ca", "onehop.dev/client-ca-secret", "Warning InvalidAnnotation metadata.annotations[nginx.ingress.kubernetes.io/auth-tls-secret]")] // onehop.dev wins, reported
    public void Auth_tls_secret_becomes_the_client_ca_of_the_ingress_s_own_namespace(string secret, string? verify, string? onehopCa, string? expectedCa, string expectedAnnotation, string? diagnostic)
    {
        var annotations = new Dictionary<string, string> { [NginxAnnotations.Prefix + "auth-tls-secret"] = secret, [NginxAnnotations.Prefix + "auth-tls-match-cn"] = "CN=partner" };
        if (verify is not null)
        {
            annotations[NginxAnnotations.Prefix + "auth-tls-verify-client"] = verify;
        }

        if (onehopCa is not null)
        {
            annotations["onehop.dev/client-ca-secret"] = onehopCa;
        }

        var diagnostics = new List<Diagnostic>();
        var compiled = IngressCompiler.Compile(Ingress(annotations), ObjectOrigin.Kubernetes, diagnostics);

        Assert.Equal(diagnostic is null ? [] : [diagnostic], diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info).Select(d => $"{d.Severity} {d.Code} {d.Field}"));
        Assert.Equal(expectedCa, compiled.TlsSettings.ClientCaSecret);
        Assert.Equal($"metadata.annotations[{expectedAnnotation}]", compiled.TlsSettings.ClientCaField);
        Assert.Equal(diagnostic is null ? "CN=partner" : null, compiled.TlsSettings.ClientSubjectPattern);
    }

    [Theory]
    [InlineData(null, null, 1)] // ingress-nginx's default
    [InlineData("0", null, 1)] // ingress-nginx reads 0 as its default
    [InlineData("3", null, 3)]
    [InlineData("3", "own-ca", null)] // onehop.dev/client-ca-secret wins: any depth, as that annotation has always meant
    public void Auth_tls_verify_depth_becomes_the_client_ca_s_depth(string? depth, string? onehopCa, int? expected)
    {
        var annotations = new Dictionary<string, string> { [NginxAnnotations.Prefix + "auth-tls-secret"] = "default/ca" };
        if (depth is not null)
        {
            annotations[NginxAnnotations.Prefix + "auth-tls-verify-depth"] = depth;
        }

        if (onehopCa is not null)
        {
            annotations["onehop.dev/client-ca-secret"] = onehopCa;
        }

        var compiled = IngressCompiler.Compile(Ingress(annotations), ObjectOrigin.Kubernetes, []);

        Assert.Equal(expected, compiled.TlsSettings.ClientVerifyDepth);
    }

    [Fact]
    public void An_unknown_annotation_is_listed_never_dropped()
    {
        var warning = Assert.Single(Compile("proxy-magic", "on"));
        Assert.Equal(DiagnosticCodes.UnknownAnnotation, warning.Code);
        Assert.Equal("metadata.annotations[nginx.ingress.kubernetes.io/proxy-magic]", warning.Field);
    }

    [Fact]
    public void A_regex_path_that_cannot_run_is_refused_like_a_bad_path()
    {
        var diagnostics = Compile("use-regex", "true", path: "/(?<=a)b");
        var error = Assert.Single(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(DiagnosticCodes.InvalidPath, error.Code);
    }

    [Fact]
    public void Onehop_annotations_win_over_ingress_nginx_ones()
    {
        var ingress = Ingress(new Dictionary<string, string>
        {
            ["nginx.ingress.kubernetes.io/load-balance"] = "ewma",
            ["onehop.dev/load-balance"] = "least-connections",
            ["nginx.ingress.kubernetes.io/ssl-redirect"] = "false",
            ["onehop.dev/ssl-redirect"] = "true",
        });
        var compiled = IngressCompiler.Compile(ingress, ObjectOrigin.Kubernetes, []);
        Assert.Equal("least-connections", compiled.PolicySettings.Last(s => s.Key == "load-balance").Value);
        Assert.True(compiled.TlsSettings.SslRedirect);
    }

    /// <summary>Every registry entry is a row of docs/ingress-nginx.md's table, with its status, and no row is extra.</summary>
    [Fact]
    public void The_docs_table_agrees_with_the_registry()
    {
        var rows = File.ReadAllLines(Path.Combine(SourceTree.ProjectDirectory, "..", "..", "docs", "ingress-nginx.md"))
            .SkipWhile(l => l != "## The annotations").TakeWhile(l => l == "## The annotations" || !l.StartsWith("## ", StringComparison.Ordinal))
            .Select(l => DocRow().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        var expected = NginxAnnotations.All.ToDictionary(
            a => a.Name,
            a => a.Support switch { NginxSupport.Honoured => "honoured", NginxSupport.Difference => "difference", _ => "not supported" },
            StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(p => p.Key), rows.OrderBy(p => p.Key));
    }

    [GeneratedRegex(@"^\| `([a-z0-9-]+)` \| [^|]* \| \*\*([a-z ]+)\*\*")]
    private static partial Regex DocRow();

    private static List<Diagnostic> Compile(string name, string value, string path = "/") =>
        CompileIngress(Ingress(new Dictionary<string, string> { [NginxAnnotations.Prefix + name] = value }, path));

    private static List<Diagnostic> CompileIngress(V1Ingress ingress)
    {
        var diagnostics = new List<Diagnostic>();
        IngressCompiler.Compile(ingress, ObjectOrigin.Kubernetes, diagnostics);
        return diagnostics;
    }

    private static V1Ingress Ingress(Dictionary<string, string> annotations, string path = "/") => new()
    {
        Metadata = new V1ObjectMeta { Name = "app", NamespaceProperty = "default", Annotations = annotations },
        Spec = new V1IngressSpec
        {
            Rules =
            [
                new V1IngressRule
                {
                    Host = "app.example.com",
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths = [new V1HTTPIngressPath { Path = path, PathType = "ImplementationSpecific", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web", Port = new V1ServiceBackendPort { Number = 80 } } } }],
                    },
                },
            ],
        },
    };
}
