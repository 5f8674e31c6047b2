namespace OneHop.Core.Configuration;

/// <summary>
/// Client identity towards pods: X-Forwarded-For/Proto/Host/Port (set by default: a client cannot forge them) and
/// RFC 7239 Forwarded (off by default); the proxies in front trusted to say who the client is (none by default); and
/// X-Request-ID made for requests without one (off by default).
/// </summary>
internal sealed record ForwardedHeadersConfig(
    ForwardedAction XForwarded = ForwardedAction.Set,
    ForwardedAction Forwarded = ForwardedAction.Off,
    TrustedProxiesConfig? TrustedProxies = null)
{
    /// <summary>A request without X-Request-ID gets one of 32 hex digits before anything acts on it, on every route.</summary>
    public bool GenerateRequestId { get; init; }
}
