namespace OneHop.Core.Proxy.Http;

/// <summary>Facts about this replica's listeners that request handling needs.</summary>
internal sealed class EdgeSettings
{
    /// <summary>
    /// The port of the first HTTPS listener; null when there is none, and then only force-ssl-redirect hosts are
    /// redirected. Not the redirects' port: that is the public one (<c>tls.redirectPort</c>, 443 by default). Set once
    /// the listeners are bound, since a configured port 0 only becomes a real port then.
    /// </summary>
    public int? HttpsPort { get; set; }
}
