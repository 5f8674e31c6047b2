using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;
using OneHop.Core.Proxy.Http;
using State = OneHop.Core.State;

namespace OneHop.Cli;

/// <summary>The options shared by several commands, defined once so that --help says the same everywhere.</summary>
internal static class CliOptions
{
    /// <summary>The levels by name, least severe first (a number, which Enum.Parse would take, is not a level's name).</summary>
    private static readonly string[] LogLevels = [.. Enum.GetValues<LogLevel>().Order().Select(l => l.ToString())];

    /// <param name="use">What the command does with them, e.g. "to serve; watched for changes".</param>
    public static Option<DirectoryInfo?> Manifests(string use) => new("--manifests")
    {
        Description = $"Directory of Kubernetes manifests (*.yaml, *.yml, *.json) {use}.",
        HelpName = "DIR",
    };

    /// <param name="use">What the command does with it, e.g. "watched for changes".</param>
    public static Option<FileInfo?> Config(string use) => new("--config")
    {
        Description = $"OneHop config file (listeners, defaults, upstreams outside Kubernetes); {use}.",
        HelpName = "FILE",
    };

    /// <param name="description">What the command listens on, and its default.</param>
    public static Option<ListenAddress[]> Http(string description) => new("--http")
    {
        Description = description,
        HelpName = "ADDR:PORT",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = ParseAddresses,
    };

    public static Option<ListenAddress[]> Https() => new("--https")
    {
        Description = "Listen for HTTPS (TLS 1.2/1.3; HTTP/2 and HTTP/1.1 by ALPN) on ADDR:PORT (repeatable). Certificates: Ingress TLS Secrets and the config file's, chosen by SNI; --tls-cert for the default.",
        HelpName = "ADDR:PORT",
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = ParseAddresses,
    };

    public static Option<FileInfo?> TlsCert() => new("--tls-cert")
    {
        Description = "PEM certificate (with its chain) served when no other certificate matches the client's SNI; reloaded when it changes.",
        HelpName = "FILE",
    };

    public static Option<FileInfo?> TlsKey() => new("--tls-key")
    {
        Description = "PEM private key of --tls-cert.",
        HelpName = "FILE",
    };

    /// <param name="defaultText">Where the admin API listens without the option.</param>
    public static Option<ListenAddress?> Admin(string defaultText) => new("--admin")
    {
        Description = $"Admin API listener: the dashboard (/), /healthz, /readyz, /metrics, /api/routes, /api/certificates, /api/status, /api/topology. [default: {defaultText}]",
        HelpName = "ADDR:PORT",
        CustomParser = r => ParseAddresses(r) is [var a] ? a : null,
    };

    public static Option<ListenAddress?> Health() => new("--health")
    {
        Description = "Also serve /healthz, /readyz and /metrics (and nothing else) on ADDR:PORT, for the kubelet's probes and Prometheus while the admin API stays on loopback. [default: none]",
        HelpName = "ADDR:PORT",
        CustomParser = r => ParseAddresses(r) is [var a] ? a : null,
    };

    public static Option<string[]> AdminHost() => new("--admin-host")
    {
        Description = "Another Host name the admin API answers for (repeatable); it always answers for localhost, 127.0.0.1, [::1] and its own address. Replaces the config file's admin.hosts.",
        HelpName = "NAME",
        Arity = ArgumentArity.ZeroOrMore,
        Validators =
        {
            r =>
            {
                foreach (var name in r.Tokens.Select(t => t.Value).Where(n => Uri.CheckHostName(n) == UriHostNameType.Unknown))
                {
                    r.AddError($"--admin-host {name} is not a host name or IP address");
                }
            },
        },
    };

    public static Option<bool> WatchIngressWithoutClass() => new("--watch-ingress-without-class")
    {
        Description = "Serve Ingresses that name no IngressClass even when no IngressClass of OneHop is the default.",
    };

    public static Option<string?> IngressClass() => new("--ingress-class")
    {
        Description = "Serve only this IngressClass (its controller onehop.dev/ingress-controller, or k8s.io/ingress-nginx to adopt that one ingress-nginx class), and accept it in the kubernetes.io/ingress.class annotation.",
        HelpName = "NAME",
    };

    public static Option<bool> AdoptIngressNginx() => new("--adopt-ingress-nginx")
    {
        Description = "Also serve the IngressClasses of ingress-nginx (spec.controller: k8s.io/ingress-nginx) and their nginx.ingress.kubernetes.io annotations, beside ingress-nginx; their status is left to it unless --own-ingress-nginx.",
    };

    public static Option<bool> OwnIngressNginx() => new("--own-ingress-nginx")
    {
        Description = "OneHop owns the adopted ingress-nginx classes: write their Ingresses' status (after the switch, when ingress-nginx no longer runs).",
    };

    public static Option<State.ObjectKey?> NginxConfigMap() => new("--nginx-configmap")
    {
        Description = "ingress-nginx's controller ConfigMap (the one its controller reads), read from the API or the manifests and watched: proxy-body-size, timeouts, ssl-redirect, hsts... as global defaults the Ingresses' annotations override, and use-forwarded-headers, proxy-real-ip-cidr... for the client address behind a load balancer; every other key is reported (see docs/ingress-nginx.md). [default: the config file's ingress.nginxConfigMap]",
        HelpName = "NAMESPACE/NAME",
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Empty;
            if (text.Split('/') is [{ Length: > 0 } ns, { Length: > 0 } name] && !name.Contains('.', StringComparison.Ordinal) && !ns.Contains('.', StringComparison.Ordinal))
            {
                return new State.ObjectKey(ns, name);
            }

            r.AddError($"--nginx-configmap {text} is not NAMESPACE/NAME of a ConfigMap, e.g. ingress-nginx/ingress-nginx-controller");
            return null;
        },
    };

    public static Option<string?> GatewayClass() => new("--gateway-class")
    {
        Description = "Serve only the Gateways of this GatewayClass (it must name controllerName onehop.dev/gateway-controller); default: every such class.",
        HelpName = "NAME",
    };

    public static Option<System.Net.IPAddress[]> GatewayAddress() => new("--gateway-address")
    {
        Description = "Bind the ports of OneHop's Gateways' listeners on this address (repeatable). [default: 0.0.0.0]",
        HelpName = "ADDR",
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = ParseIpAddresses,
    };

    /// <param name="reads">What the command does with the API, e.g. "Watch the Kubernetes API".</param>
    public static Option<FileInfo?> Kubeconfig(string reads) => new("--kubeconfig")
    {
        Description = $"{reads} using this kubeconfig (OneHop outside the cluster).",
        HelpName = "PATH",
    };

    public static Option<string?> Context() => new("--context")
    {
        Description = "The kubeconfig context to use (default: its current context). Without --kubeconfig, the kubeconfig is the first file of $KUBECONFIG that exists, else ~/.kube/config.",
        HelpName = "NAME",
    };

    /// <param name="reads">What the command does with the API, e.g. "Watch the Kubernetes API".</param>
    public static Option<bool> InCluster(string reads) => new("--in-cluster")
    {
        Description = $"{reads} with the pod's service account (OneHop inside the cluster).",
    };

    public static Option<string[]> Namespace() => new("--namespace")
    {
        Description = "Watch only this namespace (repeatable; default: all namespaces).",
        HelpName = "NS",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string[]> PublishAddress() => new("--publish-address")
    {
        Description = "Write this IP or host name into status.loadBalancer.ingress of the Ingresses OneHop serves and status.addresses of its Gateways (repeatable; one replica, elected by a Lease, writes; it also writes the Gateway API conditions).",
        HelpName = "IP|HOSTNAME",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string?> PublishService() => new("--publish-service")
    {
        Description = "Publish the address of this Service (its load balancer, external IPs or cluster IP) in the Ingresses' status.",
        HelpName = "NS/NAME",
    };

    public static Option<string?> LeaseNamespace() => new("--lease-namespace")
    {
        Description = "Namespace of the Lease that elects the replica that writes status and Events [default: $POD_NAMESPACE or default].",
        HelpName = "NS",
    };

    public static Option<bool> Events() => new("--events")
    {
        Description = "Record Kubernetes Events (events.k8s.io/v1) on the Ingresses, Services and Gateway API objects OneHop has findings about, so `kubectl describe` shows them; one replica, elected by a Lease, writes. --events=false turns it off. [default: true]",
        HelpName = "true|false",
        DefaultValueFactory = _ => true,
    };

    public static Option<string?> ReadinessGate() => new("--readiness-gate")
    {
        Description = "Open the pod readiness gate onehop.dev/routed: a pod listing it in spec.readinessGates becomes Ready only once every live OneHop replica routes to it. Watches Pods; the elected replica patches pods/status. A gated pod no OneHop Service routes to gets the gate opened after DURATION, with a warning Event, so rollouts never wait forever. Off unless given; a bare --readiness-gate waits 5m.",
        HelpName = "DURATION",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Option<string?> Zone() => new("--zone")
    {
        Description = "The zone this replica runs in: prefer pods in the same zone while they can carry this zone's share of traffic. [default: the config's topology.zone, else the topology.kubernetes.io/zone label of the Node named by $NODE_NAME, if any]",
        HelpName = "ZONE",
    };

    public static Option<Core.Configuration.ReachMode?> Reach() => new("--reach")
    {
        Description = "How Services without the onehop.dev/reach annotation are reached: pods (straight to the pod IPs), nodeports (nodeIP:nodePort of the nodes that hold ready pods, weighted by their pod count) or auto (pod IPs while a connect probe from OneHop reaches each node's pods, else node ports). [default: the config's defaults.reach, else pods]",
        HelpName = "pods|nodeports|auto",
    };

    public static Option<FileInfo?> AffinityKeyFile() => new("--affinity-key-file")
    {
        Description = "File whose contents (at least 16 bytes) are the secret key of affinity cookies (algorithm cookie); give every replica the same file, e.g. a mounted Secret. [default: a built-in public key]",
        HelpName = "FILE",
    };

    public static Option<string?> DrainDelay() => new("--drain-delay")
    {
        Description = "On SIGTERM or Ctrl+C, keep serving this long while /readyz answers 503 and connections close after their next request (HTTP/1.1 Connection: close, HTTP/2 GOAWAY), so the layer in front moves clients to other replicas; then stop. [default: 0s]",
        HelpName = "DURATION",
    };

    public static Option<Http1ForwarderKind> Http1Forwarder() => new("--http1-forwarder")
    {
        Description = "What carries requests to HTTP/1.1 backends: lean (OneHop's own forwarder: pooled connections, the request head written straight from the client's) or yarp (YARP's forwarder over .NET's HTTP client). HTTP/2 and gRPC backends always use YARP's.",
        DefaultValueFactory = _ => Http1ForwarderKind.Lean,
        HelpName = "lean|yarp",
    };

    public static Option<bool> InlineIo() => new("--inline-io")
    {
        Description = "Run request handling and socket completions on the socket engine's threads instead of handing each read to the thread pool (the epoll transport's loop threads; with --transport sockets, Kestrel's UnsafePreferInlineScheduling, and DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 unless the environment sets it). Saves a thread hop per read; a request that blocks holds up its socket engine thread. --inline-io=false turns it off. [default: true]",
        HelpName = "true|false",
        DefaultValueFactory = _ => true,
    };

    public static Option<Core.Proxy.Epoll.TransportKind> Transport() => new("--transport")
    {
        Description = "What moves the bytes of the HTTP listeners and of connections to HTTP/1.1 backends: sockets (.NET's sockets and Kestrel's socket transport) or epoll (OneHop's own, Linux on x86-64 and arm64: a socket known drained is waited on without the failed read .NET makes first, two system calls less per proxied request; requests are handled on its loop threads unless --inline-io=false). Gateway listeners and TCP/UDP keep .NET's sockets. [default: epoll on Linux, sockets elsewhere]",
        DefaultValueFactory = _ => Core.Proxy.Epoll.EpollEngine.DefaultTransport,
        HelpName = "sockets|epoll",
    };

    public static Option<Core.Telemetry.AccessLog.AccessLogTarget?> AccessLog() => new("--access-log")
    {
        Description = "Write one line per HTTP request and per TCP/UDP connection (when it closes) to stdout, stderr or FILE (appended to; reopened on SIGUSR1 for logrotate). Written off the request path: when the output cannot keep up lines are dropped and counted, never a request slowed. [default: off]",
        HelpName = "off|stdout|stderr|FILE",
        CustomParser = r => r.Tokens is [{ Value: var v }] && !v.Equals("off", StringComparison.OrdinalIgnoreCase)
            ? new Core.Telemetry.AccessLog.AccessLogTarget(v is Core.Telemetry.AccessLog.AccessLogTarget.Stdout or Core.Telemetry.AccessLog.AccessLogTarget.Stderr ? v : Path.GetFullPath(v))
            : null,
    };

    public static Option<Core.Telemetry.AccessLog.AccessLogFormat> AccessLogFormat() => new("--access-log-format")
    {
        Description = "json (one object per line) or text (logfmt key=value pairs, the same keys); see docs/operations.md. [default: json]",
        HelpName = "json|text",
        DefaultValueFactory = _ => Core.Telemetry.AccessLog.AccessLogFormat.Json,
    };

    public static Option<Uri?> OtlpEndpoint() => new("--otlp-endpoint")
    {
        Description = "Trace requests with OpenTelemetry: a span per request and per attempt on a pod, exported over OTLP/HTTP (protobuf) to this collector URL (/v1/traces is added to a URL without a path); pods get the attempt's W3C traceparent. [default: off]",
        HelpName = "URL",
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            {
                return url;
            }

            r.AddError($"--otlp-endpoint {text} is not an http:// or https:// URL");
            return null;
        },
    };

    public static Option<double> TraceSampleRatio() => new("--trace-sample-ratio")
    {
        Description = "With --otlp-endpoint: the share of requests recorded, 0 to 1, when the client sent no sampled traceparent (a sampled one is always followed). [default: 1]",
        HelpName = "RATIO",
        DefaultValueFactory = _ => 1.0,
        Validators =
        {
            r =>
            {
                if (r.GetValueOrDefault<double>() is < 0 or > 1 or double.NaN)
                {
                    r.AddError("--trace-sample-ratio must be between 0 and 1");
                }
            },
        },
    };

    public static Option<TimeSpan> PodSeriesRetention() => new("--pod-series-retention")
    {
        Description = "How long the per-pod metric series of a pod no longer routed to may stay in /metrics (http_client_request_duration_seconds, the onehop_l4_* counters): when a scrape finds one gone and the series began this long ago, every per-pod series starts over and the departed pod's vanish after one more scrape (live pods' counters restart from zero, which rate() treats as a reset). 0s forgets at the next scrape. [default: 10m]",
        HelpName = "DURATION",
        DefaultValueFactory = _ => Core.Telemetry.PodSeriesMeter<object>.DefaultRetention,
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Empty;
            if (Durations.TryParse(text, out var retention))
            {
                return retention;
            }

            r.AddError($"--pod-series-retention {text} is not a duration (e.g. 10m, 0s)");
            return default;
        },
    };

    public static Option<LogLevel> LogLevel() => new("--log-level")
    {
        Description = $"Least severe level of OneHop's own log lines: {string.Join(", ", LogLevels)} (ASP.NET Core and YARP log warnings and errors only).",
        HelpName = "LEVEL",
        DefaultValueFactory = _ => Microsoft.Extensions.Logging.LogLevel.Information,
        CustomParser = ParseLogLevel,
    };

    private static LogLevel ParseLogLevel(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (LogLevels.FirstOrDefault(l => l.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } name)
        {
            return Enum.Parse<LogLevel>(name);
        }

        result.AddError($"--log-level {text} is not a level; give one of {string.Join(", ", LogLevels)}");
        return default;
    }

    private static System.Net.IPAddress[] ParseIpAddresses(ArgumentResult result)
    {
        var addresses = new List<System.Net.IPAddress>();
        foreach (var token in result.Tokens)
        {
            if (System.Net.IPAddress.TryParse(token.Value, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                result.AddError($"'{token.Value}' is not an IP address");
            }
        }

        return [.. addresses];
    }

    internal static ListenAddress[] ParseAddresses(ArgumentResult result)
    {
        var addresses = new List<ListenAddress>();
        foreach (var token in result.Tokens)
        {
            if (ListenAddress.TryParse(token.Value, out var address, out var error))
            {
                addresses.Add(address);
            }
            else
            {
                result.AddError(error!);
            }
        }

        return [.. addresses];
    }
}
