using System.Collections.Immutable;
using k8s;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;
using OneHop.Core.Control;
using OneHop.Core.Control.Readiness;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Sources.Kubernetes;

namespace OneHop.Hosting;

/// <summary>How to run OneHop, after the command line and the config file have been read and checked.</summary>
internal sealed record ServerOptions
{
    public static readonly ListenAddress DefaultAdmin = ListenAddress.Parse("127.0.0.1:9901");
    public static readonly ListenAddress DefaultHttp = ListenAddress.Parse("0.0.0.0:8080");

    public string? ManifestDirectory { get; init; }

    public string? ConfigFile { get; init; }

    /// <summary>A connected Kubernetes client when the API is a source (from --kubeconfig or --in-cluster).</summary>
    public IKubernetes? Kubernetes { get; init; }

    public KubernetesSourceOptions KubernetesOptions { get; init; } = KubernetesSourceOptions.Default;

    /// <summary>Ingress status publishing (leader-elected); off unless a publish address or Service is given.</summary>
    public StatusPublishingOptions? StatusPublishing { get; init; }

    /// <summary>
    /// Record Kubernetes Events on the objects OneHop has findings about (<c>--events</c>); with the API as a source
    /// only. The elected replica writes them, in the election of <see cref="StatusPublishing"/>, which therefore runs
    /// even without a publish address.
    /// </summary>
    public bool Events { get; init; } = true;

    /// <summary>
    /// The pod readiness gate <c>onehop.dev/routed</c> (<c>--readiness-gate</c>); null for off. Needs the API as a source:
    /// Pods are watched, every replica publishes what it routes, and the replica elected in <see cref="StatusPublishing"/>'s
    /// election patches the pods.
    /// </summary>
    public ReadinessGateOptions? ReadinessGate { get; init; }

    /// <summary>The config as loaded at start-up (defaults when there is no file).</summary>
    public OneHopConfig Config { get; init; } = OneHopConfig.Default;

    /// <summary>Listeners from <c>--http</c>; with <see cref="Https"/>, they replace the config file's when given.</summary>
    public ImmutableArray<ListenAddress> Http { get; init; } = [];

    /// <summary>TLS listeners from <c>--https</c>.</summary>
    public ImmutableArray<ListenAddress> Https { get; init; } = [];

    /// <summary>The default certificate from <c>--tls-cert</c> and <c>--tls-key</c>.</summary>
    public CertificateFileConfig? TlsCertificate { get; init; }

    public ListenAddress? Admin { get; init; }

    /// <summary>The health listener (<c>--health</c>): /healthz, /readyz and /metrics only, for probes and scrapes; null: none.</summary>
    public ListenAddress? Health { get; init; }

    /// <summary>Extra names the admin API answers for, from <c>--admin-host</c>; they replace the config file's <c>admin.hosts</c>.</summary>
    public ImmutableArray<string> AdminHosts { get; init; } = [];

    public bool? WatchIngressWithoutClass { get; init; }

    public string? IngressClass { get; init; }

    /// <summary><c>--adopt-ingress-nginx</c>: serve ingress-nginx's IngressClasses too.</summary>
    public bool AdoptIngressNginx { get; init; }

    /// <summary><c>--own-ingress-nginx</c>: write the status of the adopted classes' Ingresses.</summary>
    public bool OwnIngressNginx { get; init; }

    /// <summary><c>--nginx-configmap</c>: ingress-nginx's controller ConfigMap; it replaces the config file's <c>ingress.nginxConfigMap</c>.</summary>
    public Core.State.ObjectKey? NginxConfigMap { get; init; }

    /// <summary>Serve only this GatewayClass (<c>--gateway-class</c>).</summary>
    public string? GatewayClass { get; init; }

    /// <summary>Where Gateway listeners' ports are bound (<c>--gateway-address</c>); empty: every IPv4 address.</summary>
    public ImmutableArray<System.Net.IPAddress> GatewayAddresses { get; init; } = [];

    /// <summary>This host's addresses, for a Gateway's requested <c>spec.addresses</c>; default: not known (any is taken as this host's).</summary>
    public ImmutableArray<System.Net.IPAddress> HostAddresses { get; init; }

    /// <summary>This replica's zone, from <c>--zone</c>; replaces the config file's <c>topology.zone</c>.</summary>
    public string? Zone { get; init; }

    /// <summary><c>--reach</c>: how Services without <c>onehop.dev/reach</c> are reached; wins over <c>defaults.reach</c>.</summary>
    public ReachMode? Reach { get; init; }

    /// <summary>The secret HMAC key of affinity cookies (<c>--affinity-key-file</c>); null: the built-in public one.</summary>
    public byte[]? AffinityKey { get; init; }

    /// <summary>The Node this replica runs on (env NODE_NAME): its zone label is the replica's zone when none is given.</summary>
    public string? NodeName { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to keep serving, draining, after SIGTERM or Ctrl+C before the listeners stop (0: stop at once).</summary>
    public TimeSpan DrainDelay { get; init; }

    /// <summary>What carries requests to HTTP/1.1 backends.</summary>
    public Http1ForwarderKind Http1Forwarder { get; init; } = Http1ForwarderKind.Lean;

    /// <summary>How long a departed pod's per-pod metric series may stay before a scrape prunes them (<c>--pod-series-retention</c>).</summary>
    public TimeSpan PodSeriesRetention { get; init; } = Core.Telemetry.PodSeriesMeter<object>.DefaultRetention;

    /// <summary>Run the proxy listeners' request code on the socket engine's threads (Kestrel's UnsafePreferInlineScheduling).</summary>
    public bool InlineIo { get; init; } = true;

    /// <summary>What moves the proxy listeners' and HTTP/1.1 backends' bytes (<c>--transport</c>).</summary>
    public Core.Proxy.Epoll.TransportKind Transport { get; init; } = Core.Proxy.Epoll.EpollEngine.DefaultTransport;

    /// <summary>Where access log lines go (<c>--access-log</c>); null: no access log.</summary>
    public Core.Telemetry.AccessLog.AccessLogTarget? AccessLog { get; init; }

    public Core.Telemetry.AccessLog.AccessLogFormat AccessLogFormat { get; init; } = Core.Telemetry.AccessLog.AccessLogFormat.Json;

    /// <summary>Where spans go and which share is kept (<c>--otlp-endpoint</c>, <c>--trace-sample-ratio</c>); null: no tracing.</summary>
    public Core.Telemetry.Tracing.TracingOptions? Tracing { get; init; }

    /// <summary>Replaces the OTLP exporter when <see cref="Tracing"/> is on (tests read the spans from it).</summary>
    public OpenTelemetry.BaseExporter<System.Diagnostics.Activity>? TraceExporter { get; init; }

    /// <summary>The command line's listeners when any are given, else the config file's, else plain HTTP on 0.0.0.0:8080.</summary>
    public IReadOnlyList<ListenerConfig> EffectiveListeners
    {
        get
        {
            if (!Http.IsEmpty || !Https.IsEmpty)
            {
                return
                [
                    .. Http.Select((a, i) => new ListenerConfig($"http-{i}", a)),
                    .. Https.Select((a, i) => new ListenerConfig($"https-{i}", a, ListenerProtocol.Https)),
                ];
            }

            return Config.Listeners.IsEmpty ? [new ListenerConfig("http", DefaultHttp)] : Config.Listeners;
        }
    }

    public ListenAddress EffectiveAdmin => Admin ?? Config.Admin ?? DefaultAdmin;

    public ImmutableArray<string> EffectiveAdminHosts => AdminHosts.IsEmpty ? Config.AdminHosts : AdminHosts;

    /// <summary>Command-line settings win over the config file's, at start-up and on every reload.</summary>
    public OneHopConfig ApplyOverrides(OneHopConfig config)
    {
        var ingress = config.Ingress;
        if (WatchIngressWithoutClass is { } watch)
        {
            ingress = ingress with { WatchWithoutClass = watch };
        }

        if (IngressClass is { } name)
        {
            ingress = ingress with { ClassName = name, OnlyThisClass = true };
        }

        if (AdoptIngressNginx || OwnIngressNginx)
        {
            ingress = ingress with { AdoptIngressNginx = ingress.AdoptIngressNginx || AdoptIngressNginx, OwnsIngressNginx = ingress.OwnsIngressNginx || OwnIngressNginx };
        }

        if (NginxConfigMap is { } nginxMap)
        {
            ingress = ingress with { NginxConfigMap = nginxMap };
        }

        var topology = Zone is { } zone ? config.Topology with { Zone = zone } : config.Topology;
        var tls = TlsCertificate is { } certificate ? config.Tls with { Default = certificate } : config.Tls;
        var gateway = GatewayClass is { } gatewayClass ? config.Gateway with { ClassName = gatewayClass } : config.Gateway;
        gateway = GatewayAddresses.IsDefaultOrEmpty ? gateway : gateway with { Addresses = GatewayAddresses };
        gateway = HostAddresses.IsDefault ? gateway : gateway with { HostAddresses = HostAddresses };
        var defaults = Reach is { } reach ? config.Defaults with { Reach = reach } : config.Defaults;
        return ingress == config.Ingress && topology == config.Topology && tls == config.Tls && gateway == config.Gateway && defaults == config.Defaults
            ? config
            : config with { Ingress = ingress, Topology = topology, Tls = tls, Gateway = gateway, Defaults = defaults };
    }
}
