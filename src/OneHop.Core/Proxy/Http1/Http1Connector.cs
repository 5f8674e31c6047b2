using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// Opens connections to one endpoint: TCP with Nagle off (a request head must leave at once), then TLS with the
/// key's SNI name and trust when the endpoint speaks https, all within the connect timeout. Failures come back as
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
        if (key.Tls != Http1TlsMode.None)
        {
            _tls = TlsOptions(key, out _tlsProblem);
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
    public async ValueTask<(Socket? Socket, Stream? Stream, AttemptOutcome Outcome)> ConnectAsync(CancellationToken requestAborted, CancellationToken deadline, TimeSpan? connectTimeout = null)
    {
        if (_tlsProblem is not null)
        {
            return (null, null, AttemptOutcome.TlsFailure);
        }

        using var timeout = new CancellationTokenSource(connectTimeout ?? _options.ConnectTimeout, _time);
        using var onAbort = requestAborted.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        using var onDeadline = deadline.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        var socket = _endpoint is IPEndPoint ip ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        Stream? stream = null;
        var handshaking = false;
        try
        {
            await socket.ConnectAsync(_endpoint, timeout.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (_tls is not null)
            {
                handshaking = true;
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(_tls, timeout.Token);
            }

            return (socket, stream, AttemptOutcome.Success);
        }
        catch (Exception ex) when (ex is SocketException or IOException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            socket.Dispose();
            var outcome = requestAborted.IsCancellationRequested ? AttemptOutcome.ClientAbort
                : deadline.IsCancellationRequested ? AttemptOutcome.Timeout
                : ex is OperationCanceledException || ex is SocketException { SocketErrorCode: SocketError.TimedOut } ? AttemptOutcome.ConnectTimeout
                : handshaking ? AttemptOutcome.TlsFailure
                : AttemptOutcome.ConnectRefused;
            Log.ConnectFailed(_logger, _key, outcome, ex.Message);
            return (null, null, outcome);
        }
    }

    private static SslClientAuthenticationOptions? TlsOptions(Http1UpstreamKey key, out string? problem)
    {
        problem = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = key.Sni ?? key.Host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],

            // SslStream checks no revocation by default either; an internal CA rarely publishes a reachable CRL.
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        switch (key.Tls)
        {
            case Http1TlsMode.SkipVerification:
#pragma warning disable CA5359 // The operator's explicit choice for this upstream (a pod with a self-signed certificate).
                options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
                break;
            case Http1TlsMode.CustomRoots:
                try
                {
                    var trusted = new X509Certificate2Collection();
                    trusted.ImportFromPem(key.CaPem ?? string.Empty);
                    if (trusted.Count == 0)
                    {
                        problem = "the CA bundle holds no certificate";
                        return null;
                    }

                    // Only these roots, as OneHopHttpClientFactory trusts an upstream's tlsCaFile.
                    var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                    policy.CustomTrustStore.AddRange(trusted);
                    options.CertificateChainPolicy = policy;
                }
                catch (CryptographicException ex)
                {
                    problem = ex.Message;
                    return null;
                }

                break;
        }

        return options;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Connecting to {Upstream} failed ({Outcome}): {Reason}")]
        public static partial void ConnectFailed(ILogger logger, Http1UpstreamKey upstream, AttemptOutcome outcome, string reason);

        [LoggerMessage(2, LogLevel.Warning, "The CA bundle of {Upstream} cannot be used ({Problem}): every connection to it fails as a TLS failure")]
        public static partial void BadCaBundle(ILogger logger, Http1UpstreamKey upstream, string problem);
    }
}
