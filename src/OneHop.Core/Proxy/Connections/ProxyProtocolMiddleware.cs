using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;

namespace OneHop.Core.Proxy.Connections;

/// <summary>
/// Kestrel connection middleware, before TLS: reads the PROXY protocol header (v1 or v2) and makes its client
/// address the connection's remote address, so OneHop's X-Forwarded-For, logs, rate limits and hashing see the real
/// client behind the firewall or HAProxy. Only trusted networks may send it, and must; a header from anyone else is
/// refused, since it would let a client claim any address. When the listener believes the proxy about the client's
/// scheme, the connection is marked so (<see cref="TrustedSchemeHeader"/>). The configuration is read per connection:
/// ingress-nginx's <c>use-proxy-protocol</c> comes with the routing snapshot; without any, the connection passes as it is.
/// </summary>
internal sealed partial class ProxyProtocolMiddleware(ConnectionDelegate next, Func<ProxyProtocolConfig?> current, ILogger logger)
{
    private static readonly TimeSpan HeaderTimeout = TimeSpan.FromSeconds(5);

    public Task OnConnectionAsync(ConnectionContext connection) =>
        current() is { } config ? ReadHeaderAsync(connection, config) : next(connection);

    private async Task ReadHeaderAsync(ConnectionContext connection, ProxyProtocolConfig config)
    {
        var peer = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        var trusted = config.Trusts(peer);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(HeaderTimeout);
        var input = connection.Transport.Input;
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout.Token);
                var buffer = read.Buffer;
                var starts = ProxyHeader.StartsWithHeader(buffer);
                if (starts == false || (starts is null && read.IsCompleted))
                {
                    input.AdvanceTo(buffer.Start);
                    if (trusted)
                    {
                        Log.Missing(logger, peer?.ToString() ?? "?");
                        connection.Abort();
                        return;
                    }

                    break;
                }

                if (starts == true && !trusted)
                {
                    Log.Untrusted(logger, peer?.ToString() ?? "?");
                    input.AdvanceTo(buffer.Start);
                    connection.Abort();
                    return;
                }

                ProxyHeader parsed = default;
                string? error = null;
                var status = starts == true ? ProxyHeader.TryParse(buffer, out parsed, out error) : ProxyHeaderStatus.Incomplete;
                if (status == ProxyHeaderStatus.Malformed)
                {
                    Log.Malformed(logger, peer?.ToString() ?? "?", error!);
                    input.AdvanceTo(buffer.Start);
                    connection.Abort();
                    return;
                }

                if (status == ProxyHeaderStatus.Complete)
                {
                    input.AdvanceTo(buffer.GetPosition(parsed.Length));
                    if (parsed.Source is not null)
                    {
                        connection.RemoteEndPoint = parsed.Source;
                        connection.LocalEndPoint = parsed.Destination;
                    }

                    // Only now is the peer known to be the trusted proxy (the remote address is the client's from here on).
                    if (TrustedSchemeHeader.For(config.SchemeFrom) is { } schemeHeader)
                    {
                        connection.Features.Set(schemeHeader);
                    }

                    break;
                }

                if (read.IsCompleted)
                {
                    input.AdvanceTo(buffer.End);
                    connection.Abort();
                    return;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            connection.Abort();
            return;
        }

        await next(connection);
    }

    private static partial class Log
    {
        [LoggerMessage(701, LogLevel.Warning, "Refused a PROXY protocol header from {Peer}, which is not a trusted network")]
        public static partial void Untrusted(ILogger logger, string peer);

        [LoggerMessage(702, LogLevel.Warning, "Closed a connection from trusted {Peer}: it did not start with a PROXY protocol header")]
        public static partial void Missing(ILogger logger, string peer);

        [LoggerMessage(703, LogLevel.Warning, "Closed a connection from {Peer}: {Error}")]
        public static partial void Malformed(ILogger logger, string peer, string error);
    }
}
