namespace OneHop.Core.Proxy.Http;

/// <summary>Facts about this replica's listeners that request handling needs.</summary>
internal sealed class EdgeSettings
{
    /// <summary>
    /// The port of the first HTTPS listener, the target of HTTP→HTTPS redirects; null when there is none. Set once the
    /// listeners are bound, since a configured port 0 only becomes a real port then.
    /// </summary>
    public int? HttpsPort { get; set; }
}
