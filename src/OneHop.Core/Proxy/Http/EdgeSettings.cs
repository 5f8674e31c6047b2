namespace OneHop.Core.Proxy.Http;

/// <summary>Facts about this replica's listeners that request handling needs.</summary>
/// <param name="HttpsPort">The port of the first HTTPS listener, the target of HTTP→HTTPS redirects; null when there is none.</param>
internal sealed record EdgeSettings(int? HttpsPort);
