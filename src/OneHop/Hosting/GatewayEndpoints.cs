using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;
using OneHop.Core.Routing;
using OneHop.Core.Tls;

namespace OneHop.Hosting;

/// <summary>
/// Binds the ports of OneHop's Gateways at every <c>--gateway-address</c> while OneHop runs. Kestrel binds its endpoints
/// at start, except those it reads from configuration with reload on: this class is that configuration (a provider
/// whose <c>Endpoints</c> section it rewrites from each snapshot) and the endpoint defaults that give each new endpoint
/// its protocol and, for HTTPS, TLS by SNI from the certificate store. Kestrel stops the endpoints that leave and binds
/// the new ones on reload; a port that cannot be bound is logged by Kestrel and the others still serve. A port one of
/// OneHop's own listeners already serves on the same address is left to it: those listeners serve the Gateway's routes
/// too, routes being scoped by the local port.
/// </summary>
internal sealed partial class GatewayEndpoints : ConfigurationProvider, IConfigurationSource, ISnapshotConsumer
{
    private readonly ImmutableArray<IPAddress> _addresses;
    private readonly IReadOnlyList<ListenerConfig> _own;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private ImmutableDictionary<IPEndPoint, bool> _bound = ImmutableDictionary<IPEndPoint, bool>.Empty;
    private ImmutableDictionary<IPEndPoint, bool> _wanted = ImmutableDictionary<IPEndPoint, bool>.Empty;
    private bool _started;

    public GatewayEndpoints(ImmutableArray<IPAddress> addresses, IReadOnlyList<ListenerConfig> own, ILogger logger)
    {
        _addresses = addresses.IsEmpty ? [IPAddress.Any] : addresses;
        _own = own;
        _logger = logger;
    }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public void Apply(PublishedSnapshot published)
    {
        var wanted = ImmutableDictionary.CreateBuilder<IPEndPoint, bool>();
        foreach (var port in published.Snapshot.GatewayPorts)
        {
            foreach (var address in _addresses)
            {
                var endpoint = new IPEndPoint(address, port.Port);
                if (!ServedByOwnListener(endpoint))
                {
                    wanted[endpoint] = port.Https;
                }
            }
        }

        lock (_lock)
        {
            _wanted = wanted.ToImmutable();
        }

        Rebind();
    }

    /// <summary>
    /// Binds what the snapshots asked for so far, and from now on each change. Called once Kestrel runs: a port taken
    /// by another process then costs only that endpoint (Kestrel logs it and keeps the others), whereas at start-up
    /// it would stop OneHop from starting at all.
    /// </summary>
    public void Start()
    {
        lock (_lock)
        {
            _started = true;
        }

        Rebind();
    }

    private void Rebind()
    {
        ImmutableDictionary<IPEndPoint, bool> next;
        lock (_lock)
        {
            next = _wanted;
            if (!_started || (next.Count == _bound.Count && next.All(p => _bound.TryGetValue(p.Key, out var https) && https == p.Value)))
            {
                return;
            }

            _bound = next;
            Data = next.Keys.OrderBy(e => e.ToString(), StringComparer.Ordinal).Select((e, i) => (e, i))
                .ToDictionary(p => $"Endpoints:gateway-{p.i.ToString(CultureInfo.InvariantCulture)}:Url", p => $"http://{Host(p.e)}", StringComparer.OrdinalIgnoreCase)!;
        }

        Log.Binding(_logger, next.IsEmpty ? "none" : string.Join(", ", next.Select(p => $"{(p.Value ? "https" : "http")}://{Host(p.Key)}")));
        OnReload();
    }

    /// <summary>Kestrel's defaults for the endpoints it reads from here: HTTP/1.1, or TLS by SNI with HTTP/2 and HTTP/1.1.</summary>
    public void ConfigureEndpoint(ListenOptions options, CertificateStore certificates)
    {
        if (options.IPEndPoint is not { } endpoint || !_bound.TryGetValue(endpoint, out var https))
        {
            return;
        }

        if (!https)
        {
            options.Protocols = HttpProtocols.Http1;
            return;
        }

        options.Protocols = HttpProtocols.Http1AndHttp2;
        options.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = certificates.OnConnectionAsync, HandshakeTimeout = TimeSpan.FromSeconds(10) });
    }

    private bool ServedByOwnListener(IPEndPoint endpoint) => _own.Any(l =>
        l.Address.EndPoint.Port == endpoint.Port
        && (l.Address.EndPoint.Address.Equals(endpoint.Address) || IsAny(l.Address.EndPoint.Address) || IsAny(endpoint.Address)));

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static string Host(IPEndPoint endpoint) => endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"[{endpoint.Address}]:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}"
        : $"{endpoint.Address}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Information, "Gateway listeners: {Endpoints}")]
        public static partial void Binding(ILogger logger, string endpoints);
    }
}
