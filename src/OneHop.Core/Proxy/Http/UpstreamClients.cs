using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OneHop.Core.Configuration;
using OneHop.Core.Routing;
using OneHop.Core.Tls;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The HTTP clients (SocketsHttpHandler) the YARP forwarder and the active health checks reach endpoints with, one per
/// set of connection settings, shared by every backend that has the same: how long a connect may take (a dead pod must
/// fail fast so the request can go elsewhere), how long idle pooled connections live, header bytes passed through
/// unchanged (<see cref="HeaderEncodings"/>), and the backend's TLS policy (<see cref="BackendTls"/>). Pods without a
/// policy serve TLS with certificates of their own that no CA vouches for and are not verified (ingress-nginx does not
/// verify them either); a BackendTLSPolicy, proxy-ssl-verify or a static upstream's settings verify them.
/// </summary>
/// <remarks>A client whose settings no backend uses any more stays pooled: settings change with the config file, rarely.</remarks>
/// <param name="logger">Where a refused certificate is logged, once per policy and reason.</param>
internal sealed partial class UpstreamClients(ILogger? logger = null) : IDisposable
{
    private readonly ConcurrentDictionary<ClientKey, HttpMessageInvoker> _clients = new();
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <param name="connectTimeout">A route's own connect timeout instead of <c>defaults.connectTimeout</c>: a client of its own.</param>
    public HttpMessageInvoker For(Backend backend, ProxyDefaults defaults, TimeSpan? connectTimeout = null) =>
        _clients.GetOrAdd(KeyOf(backend, defaults, connectTimeout), key => new HttpMessageInvoker(Handler(key), disposeHandler: true));

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private static ClientKey KeyOf(Backend backend, ProxyDefaults defaults, TimeSpan? connectTimeout) =>
        new(connectTimeout ?? defaults.ConnectTimeout, defaults.UpstreamIdleTimeout, backend.Tls ?? BackendTls.Unverified);

    private SocketsHttpHandler Handler(ClientKey key)
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
        if (key.Tls.Verify || key.Tls.Problem is not null || key.Tls.ClientCertificate || key.Tls.Protocols is not null || key.Tls.Ciphers is not null)
        {
            // SocketsHttpHandler sends the request's Host as SNI whatever TargetHost says; the validator checks the policy's name.
            var validator = new BackendCertificateValidator(key.Tls, reason => Log.CertificateRefused(_logger, key.Tls.Source ?? "the backend's TLS settings", reason));
            if (validator.Problem is { } problem)
            {
                Log.Unusable(_logger, key.Tls.Source ?? "the backend's TLS settings", problem);
            }

            validator.Apply(handler.SslOptions);
        }
        else
        {
            // The point: pods present certificates of their own, and no policy asks to verify them.
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return handler;
    }

    /// <summary>The settings a client is made for: the policy's value equality keeps two policies off one connection.</summary>
    private sealed record ClientKey(TimeSpan ConnectTimeout, TimeSpan IdleTimeout, BackendTls Tls);

    private static partial class Log
    {
        [LoggerMessage(21, LogLevel.Warning, "An HTTP/2 endpoint was refused by {Policy}: {Reason}; the attempt counts as a connect failure and goes to another endpoint")]
        public static partial void CertificateRefused(ILogger logger, string policy, string reason);

        [LoggerMessage(22, LogLevel.Warning, "{Policy} cannot be used ({Problem}): every connection under it fails")]
        public static partial void Unusable(ILogger logger, string policy, string problem);
    }
}
