namespace OneHop.Core.Configuration;

/// <summary>
/// Client identity towards pods: X-Forwarded-For/Proto/Host/Port (set by default: a client cannot forge them) and
/// RFC 7239 Forwarded (off by default); and the proxies in front trusted to say who the client is (none by default).
/// </summary>
internal sealed record ForwardedHeadersConfig(
    ForwardedAction XForwarded = ForwardedAction.Set,
    ForwardedAction Forwarded = ForwardedAction.Off,
    TrustedProxiesConfig? TrustedProxies = null);
