using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;
using OneHop.Core.Proxy.Connections;
using OneHop.Core.Routing;
using OneHop.Core.Routing.GatewayApi;
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
    private readonly PriorKnowledgeHandoff _handoff;
    private readonly Lock _lock = new();
    private ImmutableDictionary<IPEndPoint, GatewayPort> _bound = ImmutableDictionary<IPEndPoint, GatewayPort>.Empty;
    private ImmutableDictionary<IPEndPoint, GatewayPort> _wanted = ImmutableDictionary<IPEndPoint, GatewayPort>.Empty;
    private bool _started;

    public GatewayEndpoints(ImmutableArray<IPAddress> addresses, IReadOnlyList<ListenerConfig> own, PriorKnowledgeHandoff handoff, ILogger logger)
    {
        _handoff = handoff;
        _addresses = addresses.IsEmpty ? [IPAddress.Any] : addresses;
        _own = own;
        _logger = logger;
    }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public void Apply(PublishedSnapshot published)
    {
        var wanted = ImmutableDictionary.CreateBuilder<IPEndPoint, GatewayPort>();
        foreach (var port in published.Snapshot.GatewayPorts)
        {
            foreach (var address in _addresses)
            {
                var endpoint = new IPEndPoint(address, port.Port);
                if (!ServedByOwnListener(endpoint))
                {
                    wanted[endpoint] = port;
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
        ImmutableDictionary<IPEndPoint, GatewayPort> next;
        lock (_lock)
        {
            next = _wanted;
            if (!_started || (next.Count == _bound.Count && next.All(p => _bound.TryGetValue(p.Key, out var bound) && bound.Https == p.Value.Https)))
            {
                return;
            }

            _bound = next;
            // The protocols are part of the configuration so that a port changing them is bound again, not kept as it was.
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (endpoint, i) in next.Keys.OrderBy(e => e.ToString(), StringComparer.Ordinal).Select((e, i) => (e, i)))
            {
                var name = $"Endpoints:gateway-{i.ToString(CultureInfo.InvariantCulture)}";
                data[$"{name}:Url"] = $"http://{Host(endpoint)}";
                data[$"{name}:Protocols"] = Protocols(next[endpoint]).ToString();
            }

            Data = data;
        }

        Log.Binding(_logger, next.IsEmpty ? "none" : string.Join(", ", next.Select(p => $"{(p.Value.Https ? "https" : "http")}://{Host(p.Key)}")));
        OnReload();
    }

    /// <summary>
    /// Kestrel's defaults for the endpoints it reads from here: cleartext, HTTP/1.1 and HTTP/2 with prior knowledge
    /// (h2c: gRPC clients, the suite's HTTP/2 client) told apart by the client's first bytes; or TLS by SNI with HTTP/2
    /// and HTTP/1.1 by ALPN.
    /// </summary>
    public void ConfigureEndpoint(ListenOptions options, CertificateStore certificates)
    {
        if (options.IPEndPoint is not { } endpoint || !_bound.TryGetValue(endpoint, out var port))
        {
            return;
        }

        options.Protocols = Protocols(port);
        if (!port.Https)
        {
            options.Use(next => new PriorKnowledgeMiddleware(next, _handoff).OnConnectionAsync);
            return;
        }

        options.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = certificates.OnConnectionAsync, HandshakeTimeout = TimeSpan.FromSeconds(10) });
    }

    private static HttpProtocols Protocols(GatewayPort port) => port.Https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;

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
