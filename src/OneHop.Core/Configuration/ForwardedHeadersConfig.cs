namespace OneHop.Core.Configuration;

/// <summary>
/// Client identity towards pods: X-Forwarded-For/Proto/Host/Port (set by default: a client cannot forge them) and
/// RFC 7239 Forwarded (off by default).
/// </summary>
internal sealed record ForwardedHeadersConfig(ForwardedAction XForwarded = ForwardedAction.Set, ForwardedAction Forwarded = ForwardedAction.Off);
