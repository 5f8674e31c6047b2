using System.Collections.Immutable;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>What the annotations' parsers fill in; <see cref="Build"/> combines annotations that depend on each other.</summary>
internal sealed class NginxSettingsBuilder
{
    private readonly List<PolicySetting> _policy = [];
    private NginxSettingsBuilder? _globalAuth;
    private NginxRealIp? _realIp;

    public bool UseRegex { get; set; }

    public string? RewriteTarget { get; set; }

    public string? AppRoot { get; set; }

    public Uri? PermanentRedirect { get; set; }

    public int PermanentRedirectCode { get; set; } = 301;

    public Uri? TemporalRedirect { get; set; }

    public int TemporalRedirectCode { get; set; } = 302;

    public bool FromToWwwRedirect { get; set; }

    public string? UpstreamVhost { get; set; }

    public string? XForwardedPrefix { get; set; }

    public BackendProtocol? BackendProtocol { get; set; }

    public bool? SslRedirect { get; set; }

    public bool? ForceSslRedirect { get; set; }

    public string? AuthTlsSecret { get; set; }

    public bool AuthTlsVerify { get; set; } = true;

    public string? AuthTlsMatchSubject { get; set; }

    public int AuthTlsVerifyDepth { get; set; } = 1;

    public string? AuthTlsOptional { get; set; }

    public string? AuthTlsErrorPage { get; set; }

    public bool AuthTlsPassCertificate { get; set; }

    public string? ProxySslSecret { get; set; }

    public bool ProxySslVerify { get; set; }

    public string? ProxySslName { get; set; }

    public bool ProxySslServerName { get; set; }

    /// <summary>nginx's <c>proxy_ssl_verify_depth</c>, 1 by default: the pod's certificate signed by a CA of ca.crt directly.</summary>
    public int ProxySslVerifyDepth { get; set; } = 1;

    /// <summary>nginx's <c>proxy_ssl_protocols</c>; ingress-nginx's default is TLSv1.2 alone.</summary>
    public string ProxySslProtocols { get; set; } = "TLSv1.2";

    /// <summary>nginx's <c>proxy_ssl_ciphers</c> when it names suites (IANA's names joined by ':'); null for an OpenSSL alias list, whose suites are the system's.</summary>
    public string? ProxySslCiphers { get; set; }

    /// <summary><c>mirror-target</c>: its scheme and authority, and the rest with its nginx variables (null when empty).</summary>
    public (Uri Origin, string? Target)? MirrorTarget { get; set; }

    public string? MirrorHost { get; set; }

    public bool MirrorRequestBody { get; set; } = true;

    public ImmutableArray<string> ServerAliases { get; set; } = [];

    public bool Canary { get; set; }

    public int CanaryWeight { get; set; }

    public int CanaryWeightTotal { get; set; } = 100;

    public string? CanaryHeader { get; set; }

    public string? CanaryHeaderValue { get; set; }

    public string? CanaryHeaderPattern { get; set; }

    public string? CanaryCookie { get; set; }

    /// <summary><c>affinity-canary-behavior</c>: false for <c>legacy</c>.</summary>
    public bool CanaryStickyAffinity { get; set; } = true;

    public bool EnableCors { get; set; }

    public ImmutableArray<string> CorsOrigins { get; set; } = ["*"];

    public string CorsMethods { get; set; } = "GET, PUT, POST, DELETE, PATCH, OPTIONS";

    public string CorsHeaders { get; set; } = "DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization";

    public string? CorsExposeHeaders { get; set; }

    public bool CorsCredentials { get; set; } = true;

    public int CorsMaxAge { get; set; } = 1728000;

    public ImmutableArray<string>? Allowlist { get; set; }

    public ImmutableArray<string>? Whitelist { get; set; }

    public ImmutableArray<string>? Denylist { get; set; }

    public bool BasicAuth { get; set; }

    public string? AuthSecret { get; set; }

    public string AuthRealm { get; set; } = string.Empty;

    public string? AuthUrl { get; set; }

    public string? AuthMethod { get; set; }

    public string? AuthSignin { get; set; }

    public string AuthSigninRedirectParam { get; set; } = "rd";

    public ImmutableArray<string> AuthResponseHeaders { get; set; } = [];

    public string? AuthRequestRedirect { get; set; }

    public bool AuthAlwaysSetCookie { get; set; }

    /// <summary>auth-cache-key: reuse auth-url's answers for requests whose key reads the same; null asks every time.</summary>
    public string? AuthCacheKey { get; set; }

    /// <summary>auth-cache-duration; ingress-nginx's default "200 202 401 5m" without it.</summary>
    public ImmutableArray<AuthCacheValidity> AuthCacheDuration { get; set; } = NginxAuthCache.DefaultDuration;

    /// <summary><c>satisfy: any</c>: the source ranges or the authentication, not both.</summary>
    public bool SatisfyAny { get; set; }

    /// <summary>
    /// The controller ConfigMap's <c>global-auth-*</c> keys, read by the parsers of the <c>auth-*</c> annotations of the
    /// same names into a builder of their own: the external authentication of every Ingress without <c>auth-url</c>.
    /// </summary>
    public NginxSettingsBuilder GlobalAuth => _globalAuth ??= new NginxSettingsBuilder();

    /// <summary>The controller ConfigMap's client-address keys: settings of the whole proxy, not of the Ingress being built.</summary>
    public NginxRealIp RealIp => _realIp ??= new NginxRealIp();

    /// <summary>
    /// The controller ConfigMap's <c>ssl-protocols</c>, as the versions OneHop offers (TLS 1.2 and 1.3 among them): a
    /// setting of every HTTPS listener, not of the Ingress being built; null without the key.
    /// </summary>
    public System.Security.Authentication.SslProtocols? ServerTlsProtocols { get; set; }

    /// <summary>The controller ConfigMap's <c>ssl-ciphers</c>: the cipher suites of every HTTPS listener; null without the key.</summary>
    public Configuration.TlsCipherSuiteList? ServerCipherSuites { get; set; }

    /// <summary>The controller ConfigMap's <c>http-redirect-code</c>: the status of HTTPS and www redirects (default 308).</summary>
    public int HttpRedirectCode { get; set; } = 308;

    /// <summary>The controller ConfigMap's <c>ssl-reject-handshake</c>: a setting of the whole proxy.</summary>
    public bool SslRejectHandshake { get; set; }

    /// <summary>The controller ConfigMap's <c>enable-ocsp</c>: a setting of the whole proxy, read by <see cref="NginxControllerConfig.ProxyWide"/>.</summary>
    public bool EnableOcsp { get; set; }

    /// <summary>Where <c>global-auth-url</c> was read, for what is said about its Service.</summary>
    public string? GlobalAuthField { get; set; }

    /// <summary><c>enable-global-auth</c>: false keeps the controller's <c>global-auth-url</c> off this Ingress.</summary>
    public bool EnableGlobalAuth { get; set; } = true;

    /// <summary>The controller ConfigMap's <c>no-auth-locations</c>: path prefixes no authentication applies to.</summary>
    public ImmutableArray<string> NoAuthLocations { get; set; } = NginxSettings.DefaultNoAuthLocations;

    public long? MaxRequestBodySize { get; set; }

    public TimeSpan? ProxyConnectTimeout { get; set; }

    /// <summary>proxy-next-upstream-timeout: no new attempt this long after the first began; null (0) for no limit.</summary>
    public TimeSpan? ProxyNextUpstreamTimeout { get; set; }

    public TimeSpan? ProxyReadTimeout { get; set; }

    public TimeSpan? ProxySendTimeout { get; set; }

    public int LimitRps { get; set; }

    public int LimitRpm { get; set; }

    public string? DefaultBackend { get; set; }

    public ImmutableArray<int> CustomHttpErrors { get; set; } = [];

    public int LimitConnections { get; set; }

    public int LimitBurstMultiplier { get; set; } = 5;

    /// <summary>The controller ConfigMap's <c>limit-req-status-code</c>.</summary>
    public int LimitReqStatusCode { get; set; } = 503;

    /// <summary>The controller ConfigMap's <c>limit-conn-status-code</c>.</summary>
    public int LimitConnStatusCode { get; set; } = 503;

    /// <summary><c>proxy-buffering: on</c>: nginx paces with limit_rate only the answers it buffers.</summary>
    public bool ProxyBuffering { get; set; }

    /// <summary><c>limit-rate</c>, in KiB a second (ingress-nginx writes nginx's <c>limit_rate</c> with <c>k</c>); 0 for none.</summary>
    public int LimitRate { get; set; }

    /// <summary><c>limit-rate-after</c>, in KiB.</summary>
    public int LimitRateAfter { get; set; }

    public ImmutableArray<string>? LimitAllowlist { get; set; }

    public ImmutableArray<string>? LimitWhitelist { get; set; }

    /// <summary>The controller ConfigMap's <c>hsts</c>; with any <c>hsts*</c> key set, ingress-nginx's defaults fill in the others.</summary>
    public bool? Hsts { get; set; }

    public int? HstsMaxAge { get; set; }

    public bool? HstsIncludeSubdomains { get; set; }

    public bool? HstsPreload { get; set; }

    /// <summary><c>custom-headers</c>: the ConfigMap of response headers.</summary>
    public State.ObjectKey? CustomHeaders { get; set; }

    /// <summary><c>auth-proxy-set-headers</c>: the ConfigMap of headers for auth-url's subrequest.</summary>
    public State.ObjectKey? AuthProxySetHeaders { get; set; }

    /// <summary>The controller ConfigMap's <c>global-allowed-response-headers</c>: the only names custom-headers may set.</summary>
    public ImmutableArray<string> AllowedResponseHeaders { get; set; } = [];

    /// <summary>The controller ConfigMap's <c>add-headers</c>: the ConfigMap of response headers for every Ingress.</summary>
    public State.ObjectKey? AddHeaders { get; set; }

    /// <summary>The controller ConfigMap's <c>proxy-set-headers</c>: the ConfigMap of request headers for every Ingress.</summary>
    public State.ObjectKey? ProxySetHeaders { get; set; }

    /// <summary>The controller ConfigMap's <c>hide-headers</c>: pod response headers removed.</summary>
    public ImmutableArray<string> HideHeaders { get; set; } = [];

    /// <summary><c>proxy-redirect-from</c>: <c>off</c> (ingress-nginx's default), <c>default</c>, or what Location starts with.</summary>
    public string ProxyRedirectFrom { get; set; } = "off";

    /// <summary><c>proxy-redirect-to</c>: what replaces it; <c>off</c> (the default) writes no rewrite.</summary>
    public string ProxyRedirectTo { get; set; } = "off";

    /// <summary><c>proxy-cookie-domain</c> as (from, to); null for off.</summary>
    public (string From, string To)? ProxyCookieDomain { get; set; }

    /// <summary><c>proxy-cookie-path</c> as (from, to); null for off.</summary>
    public (string From, string To)? ProxyCookiePath { get; set; }

    /// <summary><c>enable-opentelemetry</c>; null without it (traced while OneHop traces).</summary>
    public bool? EnableOpentelemetry { get; set; }

    /// <summary><c>opentelemetry-trust-incoming-span</c>; null without it (trusted).</summary>
    public bool? OpentelemetryTrustIncomingSpan { get; set; }

    /// <summary><c>enable-access-log</c>; null without it (logged).</summary>
    public bool? EnableAccessLog { get; set; }

    /// <summary>The controller ConfigMap's <c>disable-access-log</c>: no Ingress's requests are logged, whatever its annotation says.</summary>
    public bool DisableAccessLog { get; set; }

    /// <summary>The controller ConfigMap's <c>skip-access-log-urls</c>.</summary>
    public MapPatterns? AccessLogSkips { get; set; }

    /// <summary><c>opentelemetry-operation-name</c>: the annotation's word, else the ConfigMap's name with variables; null without.</summary>
    public string? OpentelemetryOperationName { get; set; }

    /// <summary>The controller ConfigMap's <c>generate-request-id</c>.</summary>
    public bool GenerateRequestId { get; set; }

    /// <summary>The controller ConfigMap's <c>proxy-add-original-uri-header</c>.</summary>
    public bool AddOriginalUriHeader { get; set; }

    /// <summary>The controller ConfigMap's <c>block-cidrs</c>: denied on every Ingress, besides its own lists.</summary>
    public ImmutableArray<string> BlockCidrs { get; set; } = [];

    /// <summary>The controller ConfigMap's <c>block-user-agents</c>.</summary>
    public MapPatterns? BlockUserAgents { get; set; }

    /// <summary>The controller ConfigMap's <c>block-referers</c>.</summary>
    public MapPatterns? BlockReferers { get; set; }

    /// <summary>The controller ConfigMap's compression keys (use-gzip, enable-brotli and their settings).</summary>
    public NginxCompression Compression { get; } = new();

    /// <summary>The field the current annotation came from, for the policy settings it adds.</summary>
    public string Field { get; set; } = string.Empty;

    public void Policy(string key, string value) => _policy.Add(new PolicySetting(key, value, Field));

    public NginxSettings Build() => new()
    {
        // ingress-nginx: a rewrite-target makes the Ingress's paths regular expressions.
        UseRegex = UseRegex || RewriteTarget is not null,
        RewriteTarget = RewriteTarget,
        AppRoot = AppRoot,

        // ingress-nginx checks the permanent redirect first.
        Redirect = PermanentRedirect is { } permanent ? new NginxRedirect(permanent, PermanentRedirectCode)
            : TemporalRedirect is { } temporal ? new NginxRedirect(temporal, TemporalRedirectCode) : null,
        FromToWwwRedirect = FromToWwwRedirect,
        HttpRedirectCode = HttpRedirectCode,
        UpstreamVhost = UpstreamVhost,
        XForwardedPrefix = XForwardedPrefix,
        BackendProtocol = BackendProtocol,
        SslRedirect = SslRedirect,
        ForceSslRedirect = ForceSslRedirect,
        // As ingress-nginx, the other auth-tls-* annotations mean nothing without auth-tls-secret.
        ClientAuth = AuthTlsSecret is null ? null : new NginxClientAuth(AuthTlsSecret, AuthTlsVerify, AuthTlsMatchSubject, AuthTlsPassCertificate) { VerifyDepth = AuthTlsVerifyDepth, Optional = AuthTlsOptional, ErrorPage = AuthTlsErrorPage },
        // ingress-nginx reads the other proxy-ssl-* annotations only when proxy-ssl-secret is there.
        ProxySsl = ProxySslSecret is null ? null : new NginxProxySsl(ProxySslSecret, ProxySslVerify, ProxySslName, ProxySslServerName, ProxySslVerifyDepth, ProxySslProtocols) { Ciphers = ProxySslCiphers },
        DefaultBackend = DefaultBackend,
        CustomHttpErrors = CustomHttpErrors,
        Policy = [.. _policy],
        Cors = EnableCors ? new RouteCors(CorsOrigins, CorsMethods, CorsHeaders, CorsExposeHeaders, CorsCredentials, CorsMaxAge) : null,
        // ingress-nginx reads whitelist-source-range only when allowlist-source-range, its newer name, is absent.
        // block-cidrs is nginx's deny at the http level; OneHop keeps it under an Ingress's own lists too (see SourceRanges()).
        SourceRanges = SourceRanges(),
        Blocks = BlockUserAgents is null && BlockReferers is null ? null : new RouteRequestBlocks(BlockUserAgents, BlockReferers),
        // ingress-nginx needs both: auth-type alone denies the location, auth-secret alone does nothing.
        BasicAuth = BasicAuth ? new NginxBasicAuth(AuthSecret ?? string.Empty, AuthRealm) : null,
        // An Ingress's own auth-url replaces the global one whole: ingress-nginx mixes no auth-* annotation into global-auth-*.
        ExternalAuth = ExternalAuth() ?? (EnableGlobalAuth ? _globalAuth?.ExternalAuth() : null),
        ExternalAuthField = AuthUrl is null && EnableGlobalAuth && _globalAuth?.AuthUrl is not null ? GlobalAuthField ?? NginxSettings.AuthUrlField : NginxSettings.AuthUrlField,
        NoAuthLocations = NoAuthLocations,
        // limit-whitelist is the older name of limit-allowlist, read when that one is absent.
        RateLimit = LimitRps > 0 || LimitRpm > 0 || LimitConnections > 0
            ? new RouteRateLimit(LimitRps, LimitRpm, LimitConnections, LimitBurstMultiplier, LimitAllowlist ?? LimitWhitelist ?? []) { RateStatus = LimitReqStatusCode, ConnectionsStatus = LimitConnStatusCode }
            : null,
        MaxRequestBodySize = MaxRequestBodySize,
        // nginx sets limit_rate to 0 for an answer it does not buffer (proxy-buffering off, ingress-nginx's default), and
        // limit_rate_after means nothing without a limit_rate.
        ResponseRate = LimitRate > 0 && ProxyBuffering ? new RouteResponseRate(LimitRate * 1024L, LimitRateAfter * 1024L) : null,
        // ingress-nginx's Host of the copies is mirror-host, else the host of mirror-target (without its port).
        ServerAliases = ServerAliases,
        Mirror = MirrorTarget is var (origin, target) ? new NginxMirror(origin, target, MirrorHost ?? origin.Host, MirrorRequestBody) : null,
        Hsts = StrictTransportSecurity(),
        CustomHeaders = CustomHeaders,
        // Only with the Ingress's own auth-url, as in ingress-nginx (global-auth-url has no such setting).
        AuthProxySetHeaders = AuthUrl is null ? null : AuthProxySetHeaders,
        ResponseRewrite = ResponseRewrite(),
        UpstreamTimeouts = ProxyConnectTimeout is null && ProxyReadTimeout is null && ProxySendTimeout is null && ProxyNextUpstreamTimeout is null
            ? null
            : new UpstreamTimeouts(ProxyConnectTimeout, ProxyReadTimeout, ProxySendTimeout) { NextTryWithin = ProxyNextUpstreamTimeout },
        Tracing = EnableOpentelemetry is null && OpentelemetryTrustIncomingSpan is null && OpentelemetryOperationName is null ? null : new RouteTracing(EnableOpentelemetry ?? true, OpentelemetryTrustIncomingSpan ?? true),
        SpanName = OpentelemetryOperationName,
        WithoutAccessLog = EnableAccessLog == false || DisableAccessLog,
        AccessLogSkips = AccessLogSkips,
        Compression = Compression.Build(),
        GeneratesRequestId = GenerateRequestId,
        AddsOriginalUri = AddOriginalUriHeader,
        Canary = Canary ? new NginxCanary(Math.Min(CanaryWeight, CanaryWeightTotal), CanaryWeightTotal, CanaryHeader, CanaryHeaderValue, CanaryHeaderPattern, CanaryCookie) { StickyAffinity = CanaryStickyAffinity } : null,
    };

    /// <summary>
    /// ingress-nginx reads whitelist-source-range only when allowlist-source-range, its newer name, is absent. The
    /// ConfigMap's block-cidrs are denied first, always: nginx's location-level allow and deny lines would replace its
    /// http-level deny, so that an Ingress's own list lifted the block; OneHop keeps the block (docs/ingress-nginx.md).
    /// </summary>
    private RouteSourceRanges? SourceRanges() =>
        (Allowlist ?? Whitelist) is null && Denylist is null && BlockCidrs.IsEmpty
            ? null
            : new RouteSourceRanges(Allowlist ?? Whitelist ?? [], [.. BlockCidrs, .. Denylist ?? []]) { OrAuthenticated = SatisfyAny };

    /// <summary>auth-url and its settings; the other auth-* annotations mean nothing without auth-url, in ingress-nginx too.</summary>
    private RouteExternalAuth? ExternalAuth() =>
        AuthUrl is null ? null : new RouteExternalAuth(AuthUrl, AuthMethod, AuthSignin, AuthSigninRedirectParam, AuthResponseHeaders, AuthRequestRedirect)
        {
            AlwaysSetCookie = AuthAlwaysSetCookie,
            Cache = AuthCacheKey is null ? null : new RouteAuthCache(AuthCacheKey, AuthCacheDuration),
        };

    /// <summary>
    /// The proxy-redirect-* and proxy-cookie-* rewrites (their parsers checked each part). As ingress-nginx's template:
    /// proxy-redirect-from off or default, or proxy-redirect-to off, writes no rewrite of its own.
    /// </summary>
    private RouteResponseRewrite? ResponseRewrite()
    {
        var redirect = ProxyRedirectFrom is "off" or "default" || ProxyRedirectTo == "off" ? null
            : ValueRewrite.Create(ProxyRedirectFrom, ProxyRedirectTo, ValueRewriteKind.Prefix, out _);
        var domain = ProxyCookieDomain is var (domainFrom, domainTo) ? ValueRewrite.Create(domainFrom, domainTo, ValueRewriteKind.Domain, out _) : null;
        var path = ProxyCookiePath is var (pathFrom, pathTo) ? ValueRewrite.Create(pathFrom, pathTo, ValueRewriteKind.Prefix, out _) : null;
        return redirect is null && domain is null && path is null ? null : new RouteResponseRewrite(redirect, domain, path);
    }

    /// <summary>Strict-Transport-Security as ingress-nginx's template writes it, from the ConfigMap's hsts* keys (their defaults: on, a year, includeSubDomains).</summary>
    private string? StrictTransportSecurity()
    {
        if ((Hsts, HstsMaxAge, HstsIncludeSubdomains, HstsPreload) == (null, null, null, null) || Hsts == false)
        {
            return null;
        }

        var value = $"max-age={(HstsMaxAge ?? 31_536_000).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        return value + (HstsIncludeSubdomains ?? true ? "; includeSubDomains" : string.Empty) + (HstsPreload ?? false ? "; preload" : string.Empty);
    }
}
