using System.Collections.Immutable;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// An Ingress's <c>nginx.ingress.kubernetes.io/*</c> annotations, parsed and checked; what the translator turns into
/// route conditions, filters and backend policy. <see cref="None"/> for an Ingress without any.
/// </summary>
internal sealed record NginxSettings
{
    /// <summary>ingress-nginx's default <c>no-auth-locations</c>: ACME HTTP-01 challenges reach their solver unauthenticated.</summary>
    /// <remarks>First of the statics: <see cref="None"/> is built with it.</remarks>
    public static readonly ImmutableArray<string> DefaultNoAuthLocations = ["/.well-known/acme-challenge"];

    public static readonly NginxSettings None = new();

    /// <summary>The Ingress's paths are regular expressions (<c>use-regex</c>, or implied by <c>rewrite-target</c>).</summary>
    public bool UseRegex { get; init; }

    /// <summary><c>rewrite-target</c>: the path the pod gets, with <c>$1</c>… from the path's captures.</summary>
    public string? RewriteTarget { get; init; }

    public string? AppRoot { get; init; }

    public NginxRedirect? Redirect { get; init; }

    public bool FromToWwwRedirect { get; init; }

    public string? UpstreamVhost { get; init; }

    public string? XForwardedPrefix { get; init; }

    public BackendProtocol? BackendProtocol { get; init; }

    public bool? SslRedirect { get; init; }

    public bool? ForceSslRedirect { get; init; }

    /// <summary><c>auth-tls-secret</c> and the other <c>auth-tls-*</c>; null without the Secret.</summary>
    public NginxClientAuth? ClientAuth { get; init; }

    /// <summary><c>proxy-ssl-secret</c> and the other <c>proxy-ssl-*</c>; null without the Secret.</summary>
    public NginxProxySsl? ProxySsl { get; init; }

    /// <summary><c>default-backend</c>: a Service of the Ingress's namespace that answers while the rule's own has no endpoint, and takes the errors of <see cref="CustomHttpErrors"/>.</summary>
    public string? DefaultBackend { get; init; }

    /// <summary><c>custom-http-errors</c>: the statuses (400 to 599, sorted) whose answers the default backend replaces; empty without.</summary>
    public ImmutableArray<int> CustomHttpErrors { get; init; } = [];

    /// <summary><c>server-alias</c>: more names for the Ingress's hosts, trimmed, distinct and sorted; empty without.</summary>
    public ImmutableArray<string> ServerAliases { get; init; } = [];

    /// <summary>Backend policy in OneHop's terms (<c>load-balance</c>, <c>upstream-hash-by</c>, <c>affinity</c>, retries).</summary>
    public ImmutableArray<PolicySetting> Policy { get; init; } = [];

    /// <summary>Set on a <c>canary: "true"</c> Ingress: it adds its Service to the main Ingress's routes instead of routing itself.</summary>
    public NginxCanary? Canary { get; init; }

    /// <summary><c>enable-cors</c> and its <c>cors-*</c> settings; null when CORS is off.</summary>
    public RouteCors? Cors { get; init; }

    /// <summary><c>allowlist-source-range</c> (or <c>whitelist-source-range</c>) and <c>denylist-source-range</c>; null when neither is set.</summary>
    public RouteSourceRanges? SourceRanges { get; init; }

    /// <summary><c>limit-rate</c> and <c>limit-rate-after</c>; null without a rate.</summary>
    public RouteResponseRate? ResponseRate { get; init; }

    /// <summary>The controller ConfigMap's <c>http-redirect-code</c>, for the Ingress's <c>from-to-www-redirect</c>.</summary>
    public int HttpRedirectCode { get; init; } = 308;

    /// <summary>The controller ConfigMap's <c>block-user-agents</c> and <c>block-referers</c>; null without.</summary>
    public RouteRequestBlocks? Blocks { get; init; }

    /// <summary><c>auth-type: basic</c> and its Secret; null without.</summary>
    public NginxBasicAuth? BasicAuth { get; init; }

    /// <summary>The field <see cref="ExternalAuth"/> comes from when it is the Ingress's own.</summary>
    public const string AuthUrlField = $"metadata.annotations[{NginxAnnotations.Prefix}auth-url]";

    /// <summary>
    /// <c>auth-url</c> and its settings, else the controller ConfigMap's <c>global-auth-*</c> unless
    /// <c>enable-global-auth</c> is false, before the translator resolves a cluster Service in the URL; null without.
    /// </summary>
    public RouteExternalAuth? ExternalAuth { get; init; }

    /// <summary>Where <see cref="ExternalAuth"/> was read: the annotation, or the controller ConfigMap's key.</summary>
    public string ExternalAuthField { get; init; } = AuthUrlField;

    /// <summary>
    /// The controller ConfigMap's <c>no-auth-locations</c>: rules whose path starts with one of these get no
    /// authentication (auth-url, global-auth-url, basic), as ingress-nginx's template leaves them out.
    /// </summary>
    public ImmutableArray<string> NoAuthLocations { get; init; } = DefaultNoAuthLocations;

    /// <summary><c>limit-rps</c>, <c>limit-rpm</c>, <c>limit-connections</c> and their burst and allow list; null without.</summary>
    public RouteRateLimit? RateLimit { get; init; }

    /// <summary><c>mirror-target</c> and its <c>mirror-*</c> settings; null without.</summary>
    public NginxMirror? Mirror { get; init; }

    /// <summary><c>proxy-body-size</c> in bytes, 0 for no limit; null without.</summary>
    public long? MaxRequestBodySize { get; init; }

    /// <summary><c>proxy-connect-timeout</c>, <c>proxy-read-timeout</c> and <c>proxy-send-timeout</c>; null without any.</summary>
    public UpstreamTimeouts? UpstreamTimeouts { get; init; }

    /// <summary>Strict-Transport-Security from the controller ConfigMap's <c>hsts*</c> keys; null for none.</summary>
    public string? Hsts { get; init; }

    /// <summary><c>custom-headers</c>: the ConfigMap whose data are response headers, read by <see cref="NginxCustomHeadersResolver"/>; null without.</summary>
    public State.ObjectKey? CustomHeaders { get; init; }

    /// <summary><c>auth-proxy-set-headers</c> with an <c>auth-url</c>: the ConfigMap of headers for the subrequest, read by <see cref="NginxAuthHeadersResolver"/>; null without.</summary>
    public State.ObjectKey? AuthProxySetHeaders { get; init; }

    /// <summary><c>proxy-redirect-from</c>/<c>-to</c>, <c>proxy-cookie-domain</c> and <c>proxy-cookie-path</c>; null without any.</summary>
    public RouteResponseRewrite? ResponseRewrite { get; init; }

    /// <summary><c>enable-opentelemetry</c>, <c>opentelemetry-trust-incoming-span</c> and <c>opentelemetry-operation-name</c>; null without any.</summary>
    public RouteTracing? Tracing { get; init; }

    /// <summary><c>enable-access-log: "false"</c>: the Ingress's requests are left out of the access log.</summary>
    public bool WithoutAccessLog { get; init; }

    /// <summary>The controller ConfigMap's <c>skip-access-log-urls</c>; null without.</summary>
    public MapPatterns? AccessLogSkips { get; init; }

    /// <summary>The controller ConfigMap's generate-request-id: a request without X-Request-ID gets one.</summary>
    public bool GeneratesRequestId { get; init; }

    /// <summary>The controller ConfigMap's proxy-add-original-uri-header: the pods get X-Original-URI.</summary>
    public bool AddsOriginalUri { get; init; }

    /// <summary>The controller ConfigMap's use-gzip and enable-brotli with their settings; null with both off.</summary>
    public Configuration.Compression.CompressionPolicy? Compression { get; init; }

    /// <summary><c>opentelemetry-operation-name</c> before its location variables are filled in per rule (<see cref="NginxSpanName"/>); null without.</summary>
    public string? SpanName { get; init; }

    public bool Equals(NginxSettings? other) =>
        other is not null && UseRegex == other.UseRegex && RewriteTarget == other.RewriteTarget && AppRoot == other.AppRoot
        && Redirect == other.Redirect && FromToWwwRedirect == other.FromToWwwRedirect && UpstreamVhost == other.UpstreamVhost
        && XForwardedPrefix == other.XForwardedPrefix && BackendProtocol == other.BackendProtocol && SslRedirect == other.SslRedirect
        && ForceSslRedirect == other.ForceSslRedirect && ClientAuth == other.ClientAuth && ProxySsl == other.ProxySsl && DefaultBackend == other.DefaultBackend && CustomHttpErrors.SequenceEqual(other.CustomHttpErrors) && Canary == other.Canary && Cors == other.Cors && SourceRanges == other.SourceRanges && Blocks == other.Blocks && HttpRedirectCode == other.HttpRedirectCode && ResponseRate == other.ResponseRate && BasicAuth == other.BasicAuth && ExternalAuth == other.ExternalAuth && ResponseRewrite == other.ResponseRewrite && ExternalAuthField == other.ExternalAuthField && NoAuthLocations.SequenceEqual(other.NoAuthLocations) && RateLimit == other.RateLimit && MaxRequestBodySize == other.MaxRequestBodySize && Mirror == other.Mirror && ServerAliases.SequenceEqual(other.ServerAliases) && UpstreamTimeouts == other.UpstreamTimeouts && Hsts == other.Hsts && CustomHeaders == other.CustomHeaders && AuthProxySetHeaders == other.AuthProxySetHeaders && Tracing == other.Tracing && SpanName == other.SpanName && WithoutAccessLog == other.WithoutAccessLog && Equals(AccessLogSkips, other.AccessLogSkips) && Compression == other.Compression && GeneratesRequestId == other.GeneratesRequestId && AddsOriginalUri == other.AddsOriginalUri && Policy.SequenceEqual(other.Policy);

    public override int GetHashCode() => HashCode.Combine(UseRegex, RewriteTarget, Redirect, Policy.Length);
}
