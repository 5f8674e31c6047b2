using Yarp.ReverseProxy.Forwarder;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// YARP's client factory, plus the connection settings YARP's cluster config does not expose: the connect timeout
/// (a dead pod must fail fast so the request can go elsewhere) and how long idle pooled connections live.
/// </summary>
internal sealed class OneHopHttpClientFactory(HttpDataPlane dataPlane) : ForwarderHttpClientFactory
{
    /// <summary>A pooled client is kept across snapshots unless the settings it was built with changed.</summary>
    protected override bool CanReuseOldClient(ForwarderHttpClientContext context) =>
        base.CanReuseOldClient(context)
        && context.OldMetadata?.GetValueOrDefault(ProxyMetadata.ClientSettings) == context.NewMetadata?.GetValueOrDefault(ProxyMetadata.ClientSettings);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        var defaults = dataPlane.Defaults;
        handler.ConnectTimeout = defaults.ConnectTimeout;
        handler.PooledConnectionIdleTimeout = defaults.UpstreamIdleTimeout;
    }
}
