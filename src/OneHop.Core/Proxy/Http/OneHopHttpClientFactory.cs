using System.Security.Cryptography.X509Certificates;
using Yarp.ReverseProxy.Forwarder;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// YARP's client factory, plus the connection settings YARP's cluster config does not expose: the connect timeout
/// (a dead pod must fail fast so the request can go elsewhere), how long idle pooled connections live, header bytes
/// passed through unchanged (<see cref="HeaderEncodings"/>), and the CA bundle of an https upstream signed by an
/// internal CA (Exchange or IIS behind an AD CS certificate).
/// </summary>
internal sealed class OneHopHttpClientFactory(HttpDataPlane dataPlane) : ForwarderHttpClientFactory
{
    /// <summary>A pooled client is kept across snapshots unless the settings it was built with changed.</summary>
    protected override bool CanReuseOldClient(ForwarderHttpClientContext context) =>
        base.CanReuseOldClient(context)
        && Same(context, ProxyMetadata.ClientSettings)
        && Same(context, ProxyMetadata.UpstreamCa);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        var defaults = dataPlane.Defaults;
        handler.ConnectTimeout = defaults.ConnectTimeout;
        handler.PooledConnectionIdleTimeout = defaults.UpstreamIdleTimeout;
        handler.RequestHeaderEncodingSelector = static (_, _) => HeaderEncodings.Passthrough;
        handler.ResponseHeaderEncodingSelector = static (_, _) => HeaderEncodings.Passthrough;
        if (context.NewMetadata?.GetValueOrDefault(ProxyMetadata.UpstreamCa) is { } caPem
            && !context.NewConfig.DangerousAcceptAnyServerCertificate.GetValueOrDefault())
        {
            var trusted = new X509Certificate2Collection();
            trusted.ImportFromPem(caPem);

            // Only these roots; no revocation check, as SslStream does not check one by default either.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(trusted);
            handler.SslOptions.CertificateChainPolicy = policy;
        }
    }

    private static bool Same(ForwarderHttpClientContext context, string key) =>
        context.OldMetadata?.GetValueOrDefault(key) == context.NewMetadata?.GetValueOrDefault(key);
}
