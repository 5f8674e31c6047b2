using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneHop.Core.Admin;
using OneHop.Core.Balancing;
using OneHop.Core.Concurrency;
using OneHop.Core.Configuration;
using OneHop.Core.Control;
using OneHop.Core.Control.Events;
using OneHop.Core.Control.Readiness;
using OneHop.Core.Health;
using OneHop.Core.Proxy;
using OneHop.Core.Proxy.Connections;
using OneHop.Core.Proxy.Epoll;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Proxy.Http.AccessLog;
using OneHop.Core.Proxy.Http.SharedRates;
using OneHop.Core.Proxy.Http.Tracing;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Proxy.Tcp;
using OneHop.Core.Proxy.Udp;
using OneHop.Core.Routing;
using OneHop.Core.Sources;
using OneHop.Core.Sources.Config;
using OneHop.Core.Sources.Kubernetes;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.Telemetry;
using OneHop.Core.Telemetry.AccessLog;
using OneHop.Core.Telemetry.Tracing;
using OneHop.Core.Tls;

namespace OneHop.Hosting;

/// <summary>
/// A running OneHop: the control plane (sources → coordinator → snapshots), the HTTP data plane on its listeners,
/// and the admin API on its own listener. Started by <c>onehop run</c>, <c>onehop demo</c> and the tests alike.
/// </summary>
internal sealed class OneHopServer : IAsyncDisposable
{
    private readonly WebApplication _proxy;
    private readonly WebApplication _admin;
    private readonly WebApplication? _health;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _controlPlane;
    private IReadOnlyList<IDisposable> _owned = [];
    private LeanAttemptForwarder _lean = null!;
    private AccessLogWriter? _accessLog;
    private ProxyTracing? _tracing;
    private TimeSpan _shutdownTimeout;
    private TimeProvider _time = TimeProvider.System;

    private OneHopServer(WebApplication proxy, WebApplication admin, WebApplication? health, SnapshotCoordinator coordinator, Task controlPlane, CancellationTokenSource stopping)
    {
        _proxy = proxy;
        _admin = admin;
        _health = health;
        Coordinator = coordinator;
        _controlPlane = controlPlane;
        _stopping = stopping;
        HttpUrls = BoundAddresses(proxy);
        AdminUrl = BoundAddresses(admin)[0];
        HealthUrl = health is null ? null : BoundAddresses(health)[0];
    }

    public SnapshotCoordinator Coordinator { get; }

    /// <summary>This server's meters and their export at <c>/metrics</c>.</summary>
    public MetricsExport Metrics { get; private init; } = null!;

    /// <summary>The election of the replica that writes status and Events, when this replica takes part in one.</summary>
    public LeaderElection? Election { get; private init; }

    /// <summary>Set by <see cref="BeginDrain"/>: /readyz answers 503 and connections close after their next request.</summary>
    public DrainState Drain { get; private init; } = new();

    /// <summary>Starts draining: traffic is still served, but the layer in front is told to move clients elsewhere.</summary>
    public void BeginDrain() => Drain.Begin();

    public IReadOnlyList<string> HttpUrls { get; }

    /// <summary>The tcp, udp and tls-passthrough listeners.</summary>
    public L4ListenerSet L4 { get; private init; } = null!;

    public string AdminUrl { get; }

    /// <summary>The health listener (<c>--health</c>: /healthz, /readyz and /metrics only), when there is one.</summary>
    public string? HealthUrl { get; }

    public static async Task<OneHopServer> StartAsync(ServerOptions options, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken)
    {
        var metrics = new MetricsExport();
        BuildInfoMetrics.Register(metrics.Meter);
        var proxyMetrics = new ProxyMetrics(metrics.Meter, time, options.PodSeriesRetention);
        var runtimes = new EndpointRuntimeRegistry(time);
        var accessLog = options.AccessLog is { } logTarget ? new AccessLogWriter(logTarget, options.AccessLogFormat, time) : null;
        if (accessLog is not null)
        {
            AccessLogMetrics.Register(metrics.Meter, accessLog);
            if (options.AccessLog!.IsFile)
            {
                accessLog.ReopenOnSignal();
            }
        }

        var tracing = options.Tracing is { } tracingOptions ? new ProxyTracing(tracingOptions, time, options.TraceExporter) : null;
        if (tracing is not null)
        {
            TracingMetrics.Register(metrics.Meter, tracing);
        }

        var effective = options.ApplyOverrides(options.Config);
        var sharedRates = effective.Limits.SharedRates is { } sharedConfig
            ? new SharedRateCounts(new RedisRateStore(sharedConfig.Redis, sharedConfig.StoreTimeout, sharedConfig.PasswordFile is { } passwordFile ? File.ReadAllText(passwordFile).Trim() : null), sharedConfig.Server, sharedConfig.KeyPrefix, sharedConfig.SyncInterval, time, loggerFactory.CreateLogger<SharedRateCounts>())
            : null;
        if (sharedRates is not null)
        {
            SharedRateMetrics.Register(metrics.Meter, sharedRates);
        }

        var dataPlane = new HttpDataPlane(runtimes) { SharedRates = sharedRates };
        proxyMetrics.ObserveInFlight(() => dataPlane.Routing.Backends.Values.SelectMany(b => b.Destinations.Select(d => (b.Name, b.Namespace, d))));
        metrics.BeforeScrape(() => proxyMetrics.PruneDeparted(dataPlane.Routing.Backends.Values.SelectMany(b => b.Destinations.Select(d => ProxyMetrics.PodKey(b.Namespace, d)))));
        var clients = new UpstreamClients(loggerFactory.CreateLogger<UpstreamClients>());
        var epoll = options.Transport == TransportKind.Epoll ? EpollEngine.Shared : null;
        if (epoll is not null)
        {
            epoll.Logger = loggerFactory.CreateLogger<EpollEngine>();
        }

        var lean = new LeanAttemptForwarder(time, loggerFactory, epoll, options.InlineIo);
        var pickers = new Pickers(new BalancingContext(time, SharedRandomSource.Instance), options.AffinityKey is { } key ? new AffinityKey(key) : null);
        var outliers = new OutlierDetector(proxyMetrics, time, loggerFactory.CreateLogger<OutlierDetector>());
        // Node endpoints of externalTrafficPolicy: Local Services are probed on kube-proxy's health port instead.
        var nodeHealth = NodeHealthProbeSender.NewClient();
        var prober = new ActiveHealthChecker(() => dataPlane.Backends, new NodeHealthProbeSender(new HttpProbeSender(clients, dataPlane), nodeHealth), time, loggerFactory.CreateLogger<ActiveHealthChecker>());
        var heartbeat = new Heartbeat(time);
        heartbeat.Register(prober.Tick);
        heartbeat.RegisterEvery(TimeSpan.FromSeconds(1), () =>
        {
            dataPlane.Prune();
            lean.Retain(dataPlane.Routing);
        });
        var l4Metrics = new L4Metrics(metrics.Meter, time, options.PodSeriesRetention);
        metrics.BeforeScrape(() => l4Metrics.PruneDeparted());
        var l4 = new L4DataPlane(runtimes, new EndpointRuntimeRegistry(time), l4Metrics, time);
        proxyMetrics.ObserveQueues(() => dataPlane.Routing.Backends.Values.Concat(l4.Routing.Backends.Values));
        l4.Connections.AccessLog = accessLog;
        l4.Connections.Spans = tracing is null ? null : new L4ConnectionSpans(new RootSampler(tracing.Options.SampleRatio));
        var certificates = new CertificateStore(new TlsOptions(effective.Tls.MinimumVersion, effective.Tls.CipherSuites, effective.Tls.CipherList), DefaultCertificate.Create(time), loggerFactory.CreateLogger<CertificateStore>(), time);
        var tcp = new TcpConnectionHandler(l4, new PodConnector(pickers, outliers, l4Metrics, time, loggerFactory.CreateLogger<PodConnector>()), certificates, time, loggerFactory.CreateLogger<TcpConnectionHandler>());
        var l4Listeners = new L4ListenerSet(
            l4,
            (binding, stopping) => binding.Protocol == ListenerProtocol.Udp
                ? new UdpProxyListener(binding, l4, pickers, outliers, time, stopping)
                : new TcpProxyListener(binding, tcp, l4Metrics, stopping),
            loggerFactory.CreateLogger<L4ListenerSet>());
        var tcpProber = new ActiveHealthChecker(() => l4.TcpBackends, new NodeHealthProbeSender(new TcpProbeSender(time), nodeHealth), time, loggerFactory.CreateLogger<ActiveHealthChecker>());
        heartbeat.Register(tcpProber.Tick);
        heartbeat.RegisterEvery(TimeSpan.FromSeconds(1), () =>
        {
            l4.Sweep(time.GetTimestamp());
            l4.Prune();
        });

        var sources = new List<IObjectSource>();
        if (options.ManifestDirectory is { } directory)
        {
            sources.Add(new ManifestDirectorySource(directory, new ManifestSourceOptions(), time, loggerFactory.CreateLogger<ManifestDirectorySource>()));
        }

        KubernetesSource? kubernetes = null;
        if (options.Kubernetes is { } client)
        {
            var watching = options.ReadinessGate is null ? options.KubernetesOptions : options.KubernetesOptions with { Pods = true };
            // The ConfigMaps named at start-up (ingress-nginx's tcp/udp-services and controller maps), each watched by name.
            watching = watching with { ConfigMaps = [.. watching.ConfigMaps, .. effective.Ingress.NamedConfigMaps] };
            kubernetes = new KubernetesSource(client, watching, time, SharedRandomSource.Instance, loggerFactory);
            sources.Add(kubernetes);
        }

        IConfigSource config = options.ConfigFile is { } file
            ? new ConfigFileSource(file, options.Config, time, loggerFactory.CreateLogger<ConfigFileSource>())
            : new DefaultConfigSource(options.Config);
        var certificateFiles = new CertificateFileWatcher(effective.Tls, certificates, time, loggerFactory.CreateLogger<CertificateFileWatcher>());
        certificateFiles.Reload();
        IngressStatusPublisher? publisher = kubernetes is not null && options.StatusPublishing is { Enabled: true } publishing
            ? new IngressStatusPublisher(options.Kubernetes!, publishing, time, loggerFactory.CreateLogger<IngressStatusPublisher>())
            : null;
        EventRecorder? events = kubernetes is not null && options.Events && options.StatusPublishing is { } election
            ? new EventRecorder(new KubernetesEventSink(options.Kubernetes!), new EventRecorderOptions(election.Identity), time, loggerFactory.CreateLogger<EventRecorder>())
            : null;
        RoutedPodsPublisher? routedPods = null;
        ReadinessGateController? gate = null;
        if (kubernetes is not null && options.ReadinessGate is { } gating && options.StatusPublishing is not null)
        {
            routedPods = new RoutedPodsPublisher(options.Kubernetes!, gating, id => runtimes.ProbeHealthOf(id) == ProbeHealth.Healthy, time, loggerFactory.CreateLogger<RoutedPodsPublisher>());
            gate = new ReadinessGateController(options.Kubernetes!, gating, time, loggerFactory.CreateLogger<ReadinessGateController>());
        }

        List<ILeaderTask> leaderTasks = [.. new ILeaderTask?[] { publisher, events, gate }.OfType<ILeaderTask>()];
        var leaderElection = leaderTasks.Count > 0
            ? new LeaderElection(options.Kubernetes!, options.StatusPublishing!, leaderTasks, time, loggerFactory.CreateLogger<LeaderElection>())
            : null;
        LeaderMetrics.Register(metrics.Meter, leaderElection is null ? null : () => leaderElection.IsLeader);

        // The snapshot consumers, in order: certificates before the routes that need them, the data plane, then the
        // status publisher that reports where it serves and the Event recorder that reports what is wrong.
        var listeners = options.EffectiveListeners;
        var priorKnowledge = new PriorKnowledgeHandoff();
        var gatewayEndpoints = new GatewayEndpoints(options.GatewayAddresses, listeners, priorKnowledge, binds: listeners.Any(l => !l.Protocol.IsL4()), time, loggerFactory.CreateLogger<GatewayEndpoints>());
        List<ISnapshotConsumer> consumers = [certificates, certificateFiles, dataPlane, l4, l4Listeners, gatewayEndpoints];
        if (publisher is not null)
        {
            consumers.Add(publisher);
        }

        if (events is not null)
        {
            consumers.Add(events);
        }

        // After the data planes: a replica lists a pod as routed only once the snapshot that routes to it is applied.
        consumers.AddRange(new ISnapshotConsumer?[] { routedPods, gate }.OfType<ISnapshotConsumer>());

        // Last: it only learns which pods to probe for onehop.dev/reach: auto; its findings come back as a translator input.
        var reachProber = new PodReachProber(new SocketConnectProbe(time), time, loggerFactory.CreateLogger<PodReachProber>());
        consumers.Add(reachProber);

        var coordinator = new SnapshotCoordinator(
            sources,
            config,
            options.ApplyOverrides,
            consumers,
            new ControlPlaneMetrics(metrics.Meter),
            time,
            loggerFactory.CreateLogger<SnapshotCoordinator>(),
            new CoordinatorOptions { NodeName = options.NodeName },
            reachProber);
        var drain = new DrainState();
        var edge = new EdgeSettings { HttpsPort = listeners.FirstOrDefault(l => l.Protocol == ListenerProtocol.Https)?.Address.Port };
        var proxy = NewApp(options, loggerFactory, time, k =>
        {
            EdgeListeners.Configure(k, [.. listeners.Where(l => !l.Protocol.IsL4())], effective.Limits, certificates, tcp, () => dataPlane.Routing.ProxyProtocol, time, loggerFactory);

            // The HTTP/2 endpoint behind the Gateways' cleartext ports: h2c connections are handed to it, no socket of its own.
            k.Listen(PriorKnowledgeEndPoint.Instance, o => o.Protocols = HttpProtocols.Http2);

            // After the Listen calls above: these defaults reach only the Gateway endpoints Kestrel reads from configuration.
            k.ConfigureEndpointDefaults(o => gatewayEndpoints.ConfigureEndpoint(o, certificates));
            k.Configure(new ConfigurationBuilder().Add(gatewayEndpoints).Build(), reloadOnChange: true);
        },
        services =>
        {
            // Kestrel's and ASP.NET Core's meters (connections, TLS handshakes, requests) come from this server's factory.
            services.Replace(ServiceDescriptor.Singleton<System.Diagnostics.Metrics.IMeterFactory>(metrics.Meters));

            // Kestrel asks the transports registered last first: the epoll one (when chosen) takes the IP endpoints that
            // the two below do not claim.
            if (epoll is not null)
            {
                services.AddSingleton<IConnectionListenerFactory>(sp => new EpollTransportFactory(epoll, sp.GetRequiredService<IMemoryPoolFactory<byte>>(), options.InlineIo));
            }

            // Beside the socket transport: Kestrel gives each endpoint the transport that says it can bind it.
            services.AddSingleton<IConnectionListenerFactory>(priorKnowledge);

            // The socket transport again, for the Gateway endpoints only: it tells readiness when each is bound.
            services.AddSingleton<IConnectionListenerFactory>(sp => gatewayEndpoints.Transport(ActivatorUtilities.CreateInstance<SocketTransportFactory>(sp)));
            services.AddSingleton(certificates).AddSingleton(edge).AddSingleton(drain)
                .AddOneHopHttpProxy(dataPlane, pickers, outliers, clients, lean, options.Http1Forwarder, proxyMetrics, new HttpAccessLog(accessLog), tracing is null ? HttpTracing.Off : new HttpTracing(true, tracing.Options.SampleRatio));
            if (effective.Limits.RateLimit is { } rate)
            {
                services.AddOneHopRateLimit(rate);
            }
        },
        options.InlineIo);
        proxy.MapOneHopProxy(
            rateLimited: effective.Limits.RateLimit is not null,
            schemeFromProxy: listeners.Any(l => l.ProxyProtocol is { SchemeFrom: not ClientSchemeSource.Connection }));

        var admin = NewApp(options, loggerFactory, time, k => k.Listen(options.EffectiveAdmin.EndPoint), _ => { });
        var adminHosts = new AdminHostFilter(options.EffectiveAdmin.Address, options.EffectiveAdminHosts);
        admin.Use(adminHosts.InvokeAsync);
        CertificateMetrics.Register(metrics.Meter, certificates);
        // Resolved on first use, after the proxy has bound its listeners (the admin listener starts after it).
        var edgeListeners = new Lazy<ImmutableArray<TopologyListener>>(() => BoundListeners.Resolve(listeners, listeners.Any(l => !l.Protocol.IsL4()) ? BoundAddresses(proxy) : []));
        var topology = new TopologyFeed(coordinator, dataPlane, () => edgeListeners.Value, time, leaderElection, certificates, l4);
        admin.MapAdminApi(coordinator, dataPlane, metrics, leaderElection, drain, certificates, topology, accessLog, tracing);

        // No Host filter here: these three endpoints reveal no routes, pods or certificates, and Prometheus and the
        // kubelet reach them by whatever address the pod or node has.
        WebApplication? health = null;
        if (options.Health is { } healthAddress)
        {
            health = NewApp(options, loggerFactory, time, k => k.Listen(healthAddress.EndPoint), _ => { });
            health.MapHealthEndpoints(coordinator, metrics, drain);
        }

        var stopping = new CancellationTokenSource();
        var controlPlane = Task.WhenAll(
            Task.Run(() => coordinator.RunAsync(stopping.Token), CancellationToken.None),
            Task.Run(() => IgnoreCancellation(certificateFiles.RunAsync(stopping.Token)), CancellationToken.None),
            Task.Run(() => heartbeat.RunAsync(stopping.Token), CancellationToken.None),
            leaderElection is null ? Task.CompletedTask : Task.Run(() => leaderElection.RunAsync(stopping.Token), CancellationToken.None),
            routedPods is null ? Task.CompletedTask : Task.Run(() => IgnoreCancellation(routedPods.RunAsync(stopping.Token)), CancellationToken.None),
            sharedRates is null ? Task.CompletedTask : Task.Run(() => IgnoreCancellation(sharedRates.RunAsync(stopping.Token)), CancellationToken.None));
        try
        {
            l4Listeners.BindConfigured(listeners);
            if (listeners.Any(l => !l.Protocol.IsL4()))
            {
                // Kestrel with no endpoint would bind localhost:5000: a config of L4 listeners only serves no HTTP.
                await proxy.StartAsync(cancellationToken);
                gatewayEndpoints.Start();
            }

            await admin.StartAsync(cancellationToken);
            if (health is not null)
            {
                await health.StartAsync(cancellationToken);
            }

            if (edge.HttpsPort == 0)
            {
                edge.HttpsPort = BoundAddresses(proxy).Select(a => new Uri(a)).First(u => u.Scheme == Uri.UriSchemeHttps).Port;
            }
        }
        catch
        {
            await stopping.CancelAsync();
            await controlPlane;
            await l4Listeners.StopAsync(TimeSpan.Zero, time);
            await proxy.DisposeAsync();
            await admin.DisposeAsync();
            if (health is not null)
            {
                await health.DisposeAsync();
            }

            await lean.DisposeAsync();
            if (accessLog is not null)
            {
                await accessLog.DisposeAsync();
            }

            tracing?.Dispose();
            prober.Dispose();
            clients.Dispose();
            nodeHealth.Dispose();
            proxyMetrics.Dispose();
            l4Metrics.Dispose();
            metrics.Dispose();
            stopping.Dispose();
            throw;
        }

        return new OneHopServer(proxy, admin, health, coordinator, controlPlane, stopping)
        {
            Election = leaderElection,
            Metrics = metrics,
            Drain = drain,
            L4 = l4Listeners,
            _owned = [prober, tcpProber, clients, nodeHealth, l4Listeners, proxyMetrics, l4Metrics, metrics, .. sharedRates is null ? Array.Empty<IDisposable>() : [sharedRates]],
            _lean = lean,
            _accessLog = accessLog,
            _tracing = tracing,
            _shutdownTimeout = options.ShutdownTimeout,
            _time = time,
        };
    }

    /// <summary>Waits until every source has synced and the first snapshot serves traffic.</summary>
    public Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Coordinator.Ready.WaitAsync(timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _controlPlane;

        // L4 connections drain while HTTP requests finish, each within the shutdown timeout.
        await Task.WhenAll(L4.StopAsync(_shutdownTimeout, _time), _proxy.StopAsync());
        await _admin.StopAsync();
        await _proxy.DisposeAsync();
        await _admin.DisposeAsync();
        if (_health is not null)
        {
            await _health.StopAsync();
            await _health.DisposeAsync();
        }
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        await _lean.DisposeAsync();

        // After the listeners stopped: the last requests' lines are written before OneHop exits.
        if (_accessLog is not null)
        {
            await _accessLog.DisposeAsync();
        }

        // Exports the spans still queued.
        _tracing?.Dispose();

        _stopping.Dispose();
    }

    private static WebApplication NewApp(
        ServerOptions options,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        Action<KestrelServerOptions> listen,
        Action<IServiceCollection> configure,
        bool inlineIo = false)
    {
        // No appsettings, environment or command-line configuration: OneHop's own options are the only input.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        builder.Services.Replace(ServiceDescriptor.Singleton(time));
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            listen(k);
        });
        if (inlineIo)
        {
            builder.WebHost.UseSockets(s => s.UnsafePreferInlineScheduling = true);
        }

        configure(builder.Services);
        return builder.Build();
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The addresses an app listens on, without the socketless h2c handoff endpoint (no client can reach it).</summary>
    private static string[] BoundAddresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Where(a => !PriorKnowledgeEndPoint.IsItsAddress(a))];
}
