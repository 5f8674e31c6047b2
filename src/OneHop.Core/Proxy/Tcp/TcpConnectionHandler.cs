using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Connections;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Routing;
using OneHop.Core.Telemetry;
using OneHop.Core.Tls;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>
/// One accepted TCP connection, start to end: the PROXY header from a trusted peer (which must send one), the
/// ClientHello's server name on tls-passthrough listeners, the route of the snapshot in force, the TLS handshake when
/// that route terminates TLS, a pod through <see cref="PodConnector"/>, OneHop's PROXY header to the pod when the route
/// asks, then the bytes already read and the copy both ways (<see cref="TcpConnection"/>, or
/// <see cref="TlsTerminatedConnection"/> for a terminated one). A connection that cannot reach a pod is closed and counted by reason.
/// HTTPS listeners hand it their ssl-passthrough connections (<see cref="PassThroughAsync"/>), carried the same way.
/// </summary>
internal sealed partial class TcpConnectionHandler(L4DataPlane dataPlane, PodConnector connector, CertificateStore certificates, TimeProvider time, ILogger<TcpConnectionHandler> logger)
{
    /// <summary>How long a client may take to send its PROXY header and ClientHello (Kestrel's TLS handshake timeout).</summary>
    public static readonly TimeSpan PreambleTimeout = TimeSpan.FromSeconds(10);

    private const int MaxPreamble = 536 + ClientHello.MaxBytes;

    private L4Metrics Metrics => dataPlane.Metrics;

    /// <summary>The ssl-passthrough hosts of the snapshot in force.</summary>
    public HostMap<L4RouteState> Passthrough => dataPlane.Routing.Passthrough;

    public async Task HandleAsync(Socket client, L4Binding binding, CancellationToken stopping)
    {
        var handedOver = false;
        byte[]? preamble = null;
        try
        {
            client.NoDelay = true;
            var source = client.RemoteEndPoint as IPEndPoint;
            var destination = client.LocalEndPoint as IPEndPoint;
            // The address the connection reached OneHop at, which a Gateway's routes are scoped to (a PROXY header's is the client's view).
            var reached = destination?.Address;
            var (skip, length) = (0, 0);
            string? serverName = null;
            var tls = binding.Protocol == ListenerProtocol.TlsPassthrough;
            var trusted = binding.ProxyProtocol?.Trusts(source?.Address) == true;
            if (tls || trusted)
            {
                preamble = ArrayPool<byte>.Shared.Rent(MaxPreamble);
                using var deadline = new CancellationTokenSource(PreambleTimeout, time);
                using var stop = stopping.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline);
                var read = await ReadPreambleAsync(client, preamble, trusted, tls, deadline.Token).ConfigureAwait(false);
                if (read.Refusal is { } refusal)
                {
                    Metrics.Refused(binding.Name, refusal);
                    Log.Refused(logger, binding.Name, source?.ToString() ?? "?", refusal, read.Detail ?? string.Empty);
                    return;
                }

                (skip, length, serverName) = (read.Skip, read.Length, read.ServerName);
                if (read.Proxy is { Source: { } from } header)
                {
                    (source, destination) = (from, header.Destination);
                }
            }

            var listener = dataPlane.Routing.Listener(binding.Slot);
            var matched = listener?.Match(serverName, reached);
            if (listener is null || matched is null)
            {
                Metrics.Refused(binding.Name, "no_route");
                return;
            }

            if (matched.Pick(connector.Random) is not { } route)
            {
                Metrics.Refused(binding.Name, "no_endpoints");
                return;
            }

            SslStream? terminated = null;
            if (route.Route.TerminateTls)
            {
                // The handshake before the pod: a client that fails it never costs a pod a connection.
                terminated = await TerminateAsync(client, binding.Name, route, preamble.AsMemory(skip, length - skip), source, stopping).ConfigureAwait(false);
                if (terminated is null)
                {
                    return;
                }
            }

            if (await ConnectWatchingAsync(client, binding.Name, route, source?.Address, stopping).ConfigureAwait(false) is not { Socket: { } podSocket, Destination: { } pod } connected)
            {
                terminated?.Dispose();
                return;
            }

            handedOver = true;
            var settings = listener.Listener;
            var metrics = EndpointMetrics(listener.Name, route, pod);
            TcpRelay connection = terminated is null
                ? new TcpConnection(client, podSocket, listener.Name, route, pod, metrics, settings.IdleTimeout, settings.DrainTimeout, time.GetTimestamp())
                {
                    ClientAddress = source?.Address.ToString(),
                    ServerName = serverName,
                    Slot = connected.Slot,
                    QueueTime = connected.QueueTime,
                }
                : new TlsTerminatedConnection(terminated, client, podSocket, listener.Name, route, pod, metrics, settings.IdleTimeout, settings.DrainTimeout, time.GetTimestamp())
                {
                    ClientAddress = source?.Address.ToString(),
                    ServerName = serverName,
                    Slot = connected.Slot,
                    QueueTime = connected.QueueTime,
                };

            // A terminated connection's hello went to its handshake: the pod gets only what the client sends in the clear.
            await CarryAsync(connection, source, destination, terminated is null ? preamble.AsMemory(skip, length - skip) : ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client went away before its connection reached a pod.
        }
        finally
        {
            if (!handedOver)
            {
                client.Dispose();
            }

            if (preamble is not null)
            {
                ArrayPool<byte>.Shared.Return(preamble);
            }
        }
    }

    /// <summary>
    /// A Kestrel connection of an HTTPS listener whose ClientHello names an ssl-passthrough host: connected to a pod of
    /// <paramref name="route"/> and carried as any TCP connection (the ClientHello still unread in its pipe goes first).
    /// </summary>
    public async Task PassThroughAsync(ConnectionContext client, string listener, L4RouteState route, string? serverName = null)
    {
        var source = client.RemoteEndPoint as IPEndPoint;
        if (await ConnectAsync(listener, route, source?.Address, client.ConnectionClosed).ConfigureAwait(false) is not { Socket: { } podSocket, Destination: { } pod } connected)
        {
            client.Abort();
            return;
        }

        var drain = dataPlane.Routing.Defaults.DrainTimeout;
        var connection = new KestrelTcpConnection(client, podSocket, listener, route, pod, EndpointMetrics(listener, route, pod), L4ListenerConfig.DefaultTcpIdleTimeout, drain, time.GetTimestamp())
        {
            ClientAddress = source?.Address.ToString(),
            ServerName = serverName,
            Slot = connected.Slot,
            QueueTime = connected.QueueTime,
        };
        await CarryAsync(connection, source, client.LocalEndPoint as IPEndPoint, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the client's TLS with the route's certificate (the listener's certificateRef, else the default one), the
    /// ClientHello already read replayed to the handshake; null (counted as <c>tls_handshake</c>) when it fails or takes
    /// longer than <see cref="PreambleTimeout"/>.
    /// </summary>
    private async Task<SslStream?> TerminateAsync(Socket client, string listener, L4RouteState route, ReadOnlyMemory<byte> hello, IPEndPoint? source, CancellationToken stopping)
    {
        // A copy: the preamble's pooled buffer goes back when the handshake is done, and SslStream may read it later.
        var ssl = new SslStream(new ReplayStream(hello.ToArray(), new NetworkStream(client, ownsSocket: false)));
        using var deadline = new CancellationTokenSource(PreambleTimeout, time);
        using var stop = stopping.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline);
        try
        {
            await ssl.AuthenticateAsServerAsync(certificates.Current.ForStream(route.Route.Certificate), deadline.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            Metrics.Refused(listener, "tls_handshake");
            Log.Refused(logger, listener, source?.ToString() ?? "?", "tls_handshake", ex.Message);
            return null;
        }
    }

    /// <summary>
    /// <see cref="ConnectAsync"/> for a client socket: a capped backend may keep the connection in its queue, so the
    /// client is watched meanwhile and one that hangs up leaves it (counted as <c>client_gone</c>).
    /// </summary>
    private ValueTask<PodConnection?> ConnectWatchingAsync(Socket client, string listener, L4RouteState route, IPAddress? address, CancellationToken stopping) =>
        route.Backend.Queue is null ? ConnectAsync(listener, route, address, stopping) : ConnectQueuedAsync(client, listener, route, address, stopping);

    private async ValueTask<PodConnection?> ConnectQueuedAsync(Socket client, string listener, L4RouteState route, IPAddress? address, CancellationToken stopping)
    {
        var watch = new ClientHangupWatch(client, stopping);
        await using (watch.ConfigureAwait(false))
        {
            return await ConnectAsync(listener, route, address, watch.Token, watch).ConfigureAwait(false);
        }
    }

    /// <summary>A pod of the route, connected (its socket and destination set); null (the refusal counted by reason) when none could be.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PodConnection?> ConnectAsync(string listener, L4RouteState route, IPAddress? client, CancellationToken cancellationToken, ClientHangupWatch? watch = null)
    {
        var pod = await connector.ConnectAsync(listener, route, new ConnectionRequest(client), dataPlane.Routing.Defaults.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        if (pod.Socket is null)
        {
            Metrics.Refused(listener, pod.Refused switch
            {
                QueueOutcome.Full => "queue_full",
                QueueOutcome.TimedOut => "queue_timeout",
                _ => pod.Outcome == AttemptOutcome.NoEndpoints ? "no_endpoints" : pod.Outcome == AttemptOutcome.ClientAbort ? (watch?.HungUp == true ? "client_gone" : "shutdown") : "connect_failed",
            });
            return null;
        }

        return pod;
    }

    private L4Metrics.EndpointMetrics EndpointMetrics(string listener, L4RouteState route, Destination destination) =>
        Metrics.For(listener, route.Backend.Name, destination.Id, destination.Name);

    /// <summary>Accounts for a connection while it is carried: in flight on its pod, open in the metrics and the sweep's table.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask CarryAsync(TcpRelay connection, IPEndPoint? source, IPEndPoint? target, ReadOnlyMemory<byte> preamble)
    {
        var destination = connection.Destination;
        var metrics = connection.Metrics;
        destination.Runtime.RequestStarted();
        metrics.Opened();
        dataPlane.Connections.Add(connection);
        try
        {
            if (connection.Route.ProxyProtocolToBackend is { } version)
            {
                await TcpRelay.SendAsync(connection.Pod, ProxyHeaderWriter.Write(version, source, target)).ConfigureAwait(false);
            }

            if (!preamble.IsEmpty)
            {
                await TcpRelay.SendAsync(connection.Pod, preamble).ConfigureAwait(false);
                connection.CarriedFromClient(preamble.Length);
            }

            await connection.RunAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            connection.Abort();
        }
        finally
        {
            dataPlane.Connections.Remove(connection);
            metrics.Closed();
            destination.Runtime.RequestEnded();
            connection.Slot?.Release(destination);
        }
    }

    /// <summary>Reads the PROXY header (trusted peers) and the ClientHello (tls-passthrough) into <paramref name="buffer"/>.</summary>
    private static async Task<Preamble> ReadPreambleAsync(Socket client, byte[] buffer, bool proxy, bool tls, CancellationToken cancellationToken)
    {
        var length = 0;
        var skip = 0;
        ProxyHeader? header = null;
        try
        {
            while (true)
            {
                if (proxy && header is null && length > 0)
                {
                    var sequence = new ReadOnlySequence<byte>(buffer, 0, length);
                    var starts = ProxyHeader.StartsWithHeader(sequence);
                    if (starts == false)
                    {
                        return Preamble.Refuse("proxy_protocol", "a trusted peer sent no PROXY header");
                    }

                    ProxyHeader parsed = default;
                    string? error = null;
                    var status = starts == true ? ProxyHeader.TryParse(sequence, out parsed, out error) : ProxyHeaderStatus.Incomplete;
                    if (status == ProxyHeaderStatus.Malformed)
                    {
                        return Preamble.Refuse("proxy_protocol", error);
                    }

                    if (status == ProxyHeaderStatus.Complete)
                    {
                        header = parsed;
                        skip = parsed.Length;
                    }
                }

                var done = !proxy || header is not null;
                if (done && tls && length > skip)
                {
                    var status = ClientHello.TryRead(buffer.AsSpan(skip, length - skip), out var serverName, out _, out var error);
                    if (status == ClientHelloStatus.Malformed)
                    {
                        return Preamble.Refuse("bad_client_hello", error);
                    }

                    if (status == ClientHelloStatus.Complete)
                    {
                        return new Preamble(skip, length, serverName, header, null, null);
                    }
                }
                else if (done && !tls)
                {
                    return new Preamble(skip, length, null, header, null, null);
                }

                if (length >= MaxPreamble)
                {
                    return Preamble.Refuse(tls ? "bad_client_hello" : "proxy_protocol", "too large");
                }

                var read = await client.ReceiveAsync(buffer.AsMemory(length, MaxPreamble - length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return Preamble.Refuse(tls ? "bad_client_hello" : "proxy_protocol", "the client closed before sending it whole");
                }

                length += read;
            }
        }
        catch (OperationCanceledException)
        {
            return Preamble.Refuse("preamble_timeout", $"nothing complete within {PreambleTimeout.TotalSeconds:0}s");
        }
    }

    /// <summary>What came before the client's own bytes, or why the connection is refused.</summary>
    private readonly record struct Preamble(int Skip, int Length, string? ServerName, ProxyHeader? Proxy, string? Refusal, string? Detail)
    {
        public static Preamble Refuse(string reason, string? detail) => new(0, 0, null, null, reason, detail);
    }

    private static partial class Log
    {
        [LoggerMessage(911, LogLevel.Debug, "Listener {Listener} closed a connection from {Client}: {Reason} ({Detail})")]
        public static partial void Refused(ILogger logger, string listener, string client, string reason, string detail);
    }
}
