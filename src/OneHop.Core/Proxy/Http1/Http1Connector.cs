using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Epoll;
using OneHop.Core.Routing;
using OneHop.Core.Tls;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// Opens connections to one endpoint: TCP with Nagle off (a request head must leave at once), then TLS with the
/// key's policy (SNI name, trust, client certificate) when the endpoint speaks https, all within the connect timeout. Failures come back as
/// the outcome they are, never thrown.
/// </summary>
internal sealed partial class Http1Connector
{
    private readonly Http1UpstreamKey _key;
    private readonly EndPoint _endpoint;
    private readonly SslClientAuthenticationOptions? _tls;
    private readonly string? _tlsProblem;
    private readonly Http1ForwarderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public Http1Connector(Http1UpstreamKey key, Http1ForwarderOptions options, TimeProvider time, ILogger logger)
    {
        _key = key;
        _options = options;
        _time = time;
        _logger = logger;
        _endpoint = IPAddress.TryParse(key.Host, out var address) ? new IPEndPoint(address, key.Port) : new DnsEndPoint(key.Host, key.Port);
        if (key.Tls is { } tls)
        {
            _tls = TlsOptions(key, tls, logger, out _tlsProblem);
            if (_tlsProblem is not null)
            {
                Log.BadCaBundle(logger, key, _tlsProblem);
            }
        }
    }

    /// <summary>
    /// A new connection, or null and why not: ConnectRefused, ConnectTimeout, TlsFailure; ClientAbort when the
    /// client went away and Timeout when the caller's deadline passed meanwhile. <paramref name="connectTimeout"/> replaces
    /// the options' for this connection (a route's own).
    /// </summary>
    public async ValueTask<(IUpstreamSocket? Socket, Stream? Stream, AttemptOutcome Outcome)> ConnectAsync(CancellationToken requestAborted, CancellationToken deadline, TimeSpan? connectTimeout = null)
    {
        if (_tlsProblem is not null)
        {
            return (null, null, AttemptOutcome.TlsFailure);
        }

        using var timeout = new CancellationTokenSource(connectTimeout ?? _options.ConnectTimeout, _time);
        using var onAbort = requestAborted.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        using var onDeadline = deadline.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        IUpstreamSocket? socket = null;
        Stream? stream = null;
        var handshaking = false;
        try
        {
            (socket, stream) = _options.Epoll is { } epoll && _endpoint is IPEndPoint ip
                ? await ConnectEpollAsync(epoll, ip, !_options.InlineIo, timeout.Token)
                : await ConnectDotnetAsync(timeout.Token);
            if (_tls is not null)
            {
                handshaking = true;
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(_tls, timeout.Token);
            }

            return (socket, stream, AttemptOutcome.Success);
        }
        catch (Exception ex)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            socket?.Dispose();

            // Anything but a network or TLS failure (a certificate callback's own exception) goes on up, closed.
            if (ex is not (SocketException or IOException or AuthenticationException or OperationCanceledException or ObjectDisposedException))
            {
                throw;
            }

            var outcome = requestAborted.IsCancellationRequested ? AttemptOutcome.ClientAbort
                : deadline.IsCancellationRequested ? AttemptOutcome.Timeout
                : ex is OperationCanceledException || ex is SocketException { SocketErrorCode: SocketError.TimedOut } ? AttemptOutcome.ConnectTimeout
                : handshaking ? AttemptOutcome.TlsFailure
                : AttemptOutcome.ConnectRefused;
            Log.ConnectFailed(_logger, _key, outcome, ex.Message);
            return (null, null, outcome);
        }
    }

    private async ValueTask<(IUpstreamSocket, Stream)> ConnectDotnetAsync(CancellationToken cancellationToken)
    {
        var socket = _endpoint is IPEndPoint ip ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        try
        {
            await socket.ConnectAsync(_endpoint, cancellationToken);
            return (new DotnetUpstreamSocket(socket), new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async ValueTask<(IUpstreamSocket, Stream)> ConnectEpollAsync(EpollEngine epoll, IPEndPoint endpoint, bool continueOnThreadPool, CancellationToken cancellationToken)
    {
        var socket = EpollSocket.Create(endpoint.AddressFamily, epoll.Next(), continueOnThreadPool);
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return (new EpollUpstreamSocket(socket), new EpollStream(socket));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static SslClientAuthenticationOptions TlsOptions(Http1UpstreamKey key, BackendTls tls, ILogger logger, out string? problem)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = key.Host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        };
        var validator = new BackendCertificateValidator(tls, reason => Log.CertificateRefused(logger, key, tls.Source ?? "the backend's TLS settings", reason));
        validator.Apply(options);
        problem = validator.Problem;
        return options;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Connecting to {Upstream} failed ({Outcome}): {Reason}")]
        public static partial void ConnectFailed(ILogger logger, Http1UpstreamKey upstream, AttemptOutcome outcome, string reason);

        [LoggerMessage(2, LogLevel.Warning, "The TLS settings of {Upstream} cannot be used ({Problem}): every connection to it fails as a TLS failure")]
        public static partial void BadCaBundle(ILogger logger, Http1UpstreamKey upstream, string problem);

        [LoggerMessage(3, LogLevel.Warning, "{Upstream} refused by {Policy}: {Reason}; the attempt counts as a TLS failure and goes to another endpoint")]
        public static partial void CertificateRefused(ILogger logger, Http1UpstreamKey upstream, string policy, string reason);
    }
}
