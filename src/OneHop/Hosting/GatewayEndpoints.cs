using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;
using OneHop.Core.Proxy;
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
/// too, routes being scoped by the local port. It is a data plane for readiness: a snapshot counts as applied once
/// each of its ports listens or has failed (<see cref="GatewayBindOutcomes"/>), so /readyz turns 200 only when
/// a client can connect to the first snapshot's Gateway ports.
/// </summary>
internal sealed partial class GatewayEndpoints : ConfigurationProvider, IConfigurationSource, IDataPlane
{
    private readonly ImmutableArray<IPAddress> _addresses;
    private readonly IReadOnlyList<ListenerConfig> _own;
    private readonly ILogger _logger;
    private readonly PriorKnowledgeHandoff _handoff;
    private readonly Lock _lock = new();
    private readonly bool _binds;
    private readonly GatewayBindOutcomes _outcomes;
    private ImmutableDictionary<IPEndPoint, GatewayPort> _bound = ImmutableDictionary<IPEndPoint, GatewayPort>.Empty;
    private ImmutableDictionary<IPEndPoint, GatewayPort> _wanted = ImmutableDictionary<IPEndPoint, GatewayPort>.Empty;
    private long _version;
    private volatile bool _started;
    private string? _reported;

    /// <param name="binds">False when Kestrel never runs (only L4 listeners): no port is bound, and none is waited for.</param>
    public GatewayEndpoints(ImmutableArray<IPAddress> addresses, IReadOnlyList<ListenerConfig> own, PriorKnowledgeHandoff handoff, bool binds, TimeProvider time, ILogger logger)
    {
        _handoff = handoff;
        _addresses = addresses.IsEmpty ? [IPAddress.Any] : addresses;
        _own = own;
        _binds = binds;
        _logger = logger;
        _outcomes = new GatewayBindOutcomes(time);
        _outcomes.Settled += OnSettled;
    }

    public event Action<long>? Applied;

    /// <summary>The newest snapshot whose Gateway ports all listen or have failed.</summary>
    public long AppliedVersion => _outcomes.SettledVersion;

    /// <summary>The Gateway ports that are not listening, and why.</summary>
    public string? LastError => _outcomes.Failures is { } failures ? $"Gateway ports not listening: {failures}" : null;

    public string? Waiting => !_started && _binds
        ? "the HTTP listeners to start"
        : _outcomes.Pending is { } pending ? $"the Gateway ports to listen: {pending}" : null;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Kestrel's transport for the Gateway endpoints, over the socket transport: it reports each bind.</summary>
    public GatewayTransport Transport(Microsoft.AspNetCore.Connections.IConnectionListenerFactory sockets) =>
        new(sockets, endpoint => _bound.ContainsKey(endpoint), _outcomes);

    public void Apply(PublishedSnapshot published)
    {
        if (!_binds)
        {
            _outcomes.Expect(published.Version, [], ImmutableHashSet<IPEndPoint>.Empty);
            return;
        }

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
            _version = published.Version;
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
            if (!_started)
            {
                return;
            }

            // What Kestrel binds afresh: new endpoints, and those whose protocols change (stopped and bound again).
            var binding = next.Where(p => !_bound.TryGetValue(p.Key, out var bound) || bound.Https != p.Value.Https).Select(p => p.Key).ToImmutableHashSet();
            _outcomes.Expect(_version, next.Keys, binding);
            if (binding.IsEmpty && next.Count == _bound.Count)
            {
                return;
            }

            _bound = next;
            // The protocols are part of the configuration so that a port changing them is bound again, not kept as it
            // was. Each endpoint's name comes from its address: names that shift when a port is added would have Kestrel
            // stop and bind again the endpoints they moved between.
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var endpoint in next.Keys)
            {
                var name = $"Endpoints:gateway-{Host(endpoint).Replace(':', '_')}";
                data[$"{name}:Url"] = $"http://{Host(endpoint)}";
                data[$"{name}:Protocols"] = Protocols(next[endpoint]).ToString();
            }

            Data = data;
        }

        Log.Binding(_logger, next.IsEmpty ? "none" : string.Join(", ", next.Select(p => $"{(p.Value.Https ? "https" : "http")}://{Host(p.Key)}")));
        OnReload();
    }

    private void OnSettled(long version)
    {
        // Each failure once, while it lasts: Kestrel logs the exception, this says what it costs.
        var failures = _outcomes.Failures;
        if (failures is not null && Interlocked.Exchange(ref _reported, failures) != failures)
        {
            Log.NotListening(_logger, failures);
        }
        else if (failures is null)
        {
            Interlocked.Exchange(ref _reported, null);
        }

        Applied?.Invoke(version);
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

        [LoggerMessage(1002, LogLevel.Warning, "Gateway ports not listening: {Failures}; OneHop serves without them")]
        public static partial void NotListening(ILogger logger, string failures);
    }
}
