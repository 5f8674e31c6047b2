using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using OneHop.Core.Configuration;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The HTTP clients (SocketsHttpHandler) the YARP forwarder and the active health checks reach endpoints with, one per
/// set of connection settings, shared by every backend that has the same: how long a connect may take (a dead pod must
/// fail fast so the request can go elsewhere), how long idle pooled connections live, header bytes passed through
/// unchanged (<see cref="HeaderEncodings"/>), and whom to trust for TLS. Pods serve TLS with certificates of their
/// own that no CA vouches for (ingress-nginx does not verify them either); static upstreams are verified against the
/// system roots, their own CA bundle (Exchange or IIS behind an AD CS certificate), or not at all when configured so.
/// </summary>
/// <remarks>A client whose settings no backend uses any more stays pooled: settings change with the config file, rarely.</remarks>
internal sealed class UpstreamClients : IDisposable
{
    private readonly ConcurrentDictionary<ClientKey, HttpMessageInvoker> _clients = new();

    /// <param name="connectTimeout">A route's own connect timeout instead of <c>defaults.connectTimeout</c>: a client of its own.</param>
    public HttpMessageInvoker For(Backend backend, ProxyDefaults defaults, TimeSpan? connectTimeout = null) =>
        _clients.GetOrAdd(KeyOf(backend, defaults, connectTimeout), static key => new HttpMessageInvoker(Handler(key), disposeHandler: true));

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private static ClientKey KeyOf(Backend backend, ProxyDefaults defaults, TimeSpan? connectTimeout) => new(
        connectTimeout ?? defaults.ConnectTimeout,
        defaults.UpstreamIdleTimeout,
        SkipVerify: backend.TlsInsecureSkipVerify || backend.Kind != BackendKind.Upstream,
        backend.Kind == BackendKind.Upstream && !backend.TlsInsecureSkipVerify ? backend.TlsCaPem : null);

    private static SocketsHttpHandler Handler(ClientKey key)
    {
        // As YARP's ForwarderHttpClientFactory: a proxy's client, not a browser's.
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            ConnectTimeout = key.ConnectTimeout,
            PooledConnectionIdleTimeout = key.IdleTimeout,
            RequestHeaderEncodingSelector = static (_, _) => HeaderEncodings.Passthrough,
            ResponseHeaderEncodingSelector = static (_, _) => HeaderEncodings.Passthrough,
        };
        if (key.SkipVerify)
        {
            // The point: pods present certificates of their own, and an operator asked to skip verification.
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (key.CaPem is { } pem)
        {
            var trusted = new X509Certificate2Collection();
            trusted.ImportFromPem(pem);

            // Only these roots; no revocation check, as SslStream does not check one by default either.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(trusted);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return handler;
    }

    private sealed record ClientKey(TimeSpan ConnectTimeout, TimeSpan IdleTimeout, bool SkipVerify, string? CaPem);
}
