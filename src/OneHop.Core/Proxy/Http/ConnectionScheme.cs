namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Set where a trusted proxy's header replaced the request's scheme with the client's: the scheme of the connection
/// itself, which an appended X-Forwarded-Proto adds as this hop's (as an appended X-Forwarded-For adds the proxy, not
/// the client again).
/// </summary>
/// <param name="Value">http or https, as the connection to OneHop was made.</param>
internal sealed record ConnectionScheme(string Value);
