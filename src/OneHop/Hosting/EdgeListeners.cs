using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;
using OneHop.Core.Proxy.Connections;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Proxy.Tcp;
using OneHop.Core.Tls;

namespace OneHop.Hosting;

/// <summary>
/// Binds the data plane's listeners on Kestrel: per listener its protocol (HTTP/1.1; TLS with HTTP/2 and HTTP/1.1
/// by ALPN; h2c), its connection cap and PROXY protocol (both before TLS: the header precedes the ClientHello), the
/// ssl-passthrough hosts relayed to their pods (before TLS too), and the server-wide request limits and header
/// encodings (<see cref="HeaderEncodings"/>).
/// </summary>
internal static class EdgeListeners
{
    /// <param name="clusterProxyProtocol">The PROXY protocol the routing snapshot asks of listeners without one of their own, read per connection.</param>
    public static void Configure(KestrelServerOptions kestrel, IReadOnlyList<ListenerConfig> listeners, LimitsConfig limits, CertificateStore certificates, TcpConnectionHandler tcp, Func<ProxyProtocolConfig?> clusterProxyProtocol, TimeProvider time, ILoggerFactory loggers)
    {
        kestrel.Limits.MaxRequestHeadersTotalSize = (int)Math.Min(int.MaxValue, limits.MaxRequestHeadersSize);
        kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaders;
        kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodySize == 0 ? null : limits.MaxRequestBodySize;
        kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
        kestrel.RequestHeaderEncodingSelector = HeaderEncodings.Request;
        kestrel.ResponseHeaderEncodingSelector = static _ => HeaderEncodings.Passthrough;
        var logger = loggers.CreateLogger("OneHop.Edge");
        foreach (var listener in listeners)
        {
            kestrel.Listen(listener.Address.EndPoint, options =>
            {
                if (listener.MaxConnections is { } max)
                {
                    options.Use(next => new ConnectionLimitMiddleware(next, max).OnConnectionAsync);
                }

                // The listener's own PROXY protocol, else the cluster's (ingress-nginx's use-proxy-protocol), which may change live.
                var own = listener.ProxyProtocol;
                options.Use(next => new ProxyProtocolMiddleware(next, own is null ? clusterProxyProtocol : () => own, logger).OnConnectionAsync);

                switch (listener.Protocol)
                {
                    case ListenerProtocol.Https:
                        options.Protocols = HttpProtocols.Http1AndHttp2;

                        // After the PROXY header, before TLS: ssl-passthrough hosts leave here with their ClientHello unread.
                        var name = L4DataPlane.PassthroughListenerPrefix + listener.Address;
                        options.Use(next => new HttpsPassthroughMiddleware(next, name, tcp, time).OnConnectionAsync);
                        options.UseHttps(new TlsHandshakeCallbackOptions
                        {
                            OnConnection = certificates.OnConnectionAsync,
                            HandshakeTimeout = TimeSpan.FromSeconds(10),
                        });
                        break;
                    case ListenerProtocol.H2c:
                        options.Protocols = HttpProtocols.Http2;
                        break;
                    default:
                        options.Protocols = HttpProtocols.Http1;
                        break;
                }
            });
        }
    }
}
