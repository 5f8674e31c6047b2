using System.CommandLine;
using System.Net.Sockets;
using k8s;
using OneHop.Core.Configuration;
using OneHop.Core.Control;
using OneHop.Core.Control.Readiness;
using OneHop.Core.Sources.Kubernetes;
using OneHop.Hosting;

namespace OneHop.Cli;

/// <summary><c>onehop run</c>: serve traffic from manifests and/or a config file until stopped.</summary>
internal static class RunCommand
{
    /// <summary>The longest drain: the process's own termination deadline is this much longer (see <see cref="OneHopCli"/>).</summary>
    public static readonly TimeSpan MaxDrainDelay = TimeSpan.FromMinutes(5);

    /// <summary>A <c>--drain-delay</c> value: a duration up to <see cref="MaxDrainDelay"/>.</summary>
    public static bool TryParseDrainDelay(string? text, out TimeSpan delay) =>
        Durations.TryParse(text, out delay) && delay <= MaxDrainDelay;

    public static Command Create()
    {
        var manifests = CliOptions.Manifests("to serve; watched for changes");
        var config = CliOptions.Config("watched for changes (a version with errors is refused whole and the last good one stays in force)");
        var http = CliOptions.Http($"Listen for HTTP on ADDR:PORT (repeatable). --http and --https replace the config file's listeners. [default: {ServerOptions.DefaultHttp} when no listener is given: no --http, no --https, no listeners in the config file]");
        var https = CliOptions.Https();
        var tlsCert = CliOptions.TlsCert();
        var tlsKey = CliOptions.TlsKey();
        var admin = CliOptions.Admin($"the config file's admin.address, else {ServerOptions.DefaultAdmin}");
        var adminHost = CliOptions.AdminHost();
        var health = CliOptions.Health();
        var watchWithoutClass = CliOptions.WatchIngressWithoutClass();
        var ingressClass = CliOptions.IngressClass();
        var adoptNginx = CliOptions.AdoptIngressNginx();
        var ownNginx = CliOptions.OwnIngressNginx();
        var nginxConfigMap = CliOptions.NginxConfigMap();
        var gatewayClass = CliOptions.GatewayClass();
        var gatewayAddress = CliOptions.GatewayAddress();
        var zone = CliOptions.Zone();
        var reach = CliOptions.Reach();
        var kubeconfig = CliOptions.Kubeconfig("Watch the Kubernetes API");
        var context = CliOptions.Context();
        var inCluster = CliOptions.InCluster("Watch the Kubernetes API");
        var namespaces = CliOptions.Namespace();
        var publishAddress = CliOptions.PublishAddress();
        var publishService = CliOptions.PublishService();
        var leaseNamespace = CliOptions.LeaseNamespace();
        var events = CliOptions.Events();
        var readinessGate = CliOptions.ReadinessGate();
        var logLevel = CliOptions.LogLevel();
        var drainDelay = CliOptions.DrainDelay();
        var affinityKeyFile = CliOptions.AffinityKeyFile();
        var http1Forwarder = CliOptions.Http1Forwarder();
        var inlineIo = CliOptions.InlineIo();
        var transport = CliOptions.Transport();
        var accessLog = CliOptions.AccessLog();
        var accessLogFormat = CliOptions.AccessLogFormat();
        var otlpEndpoint = CliOptions.OtlpEndpoint();
        var traceSampleRatio = CliOptions.TraceSampleRatio();
        var podSeriesRetention = CliOptions.PodSeriesRetention();
        var command = new Command("run", "Run OneHop: route HTTP requests straight to ready pods.")
        {
            kubeconfig, context, inCluster, namespaces, manifests, config, http, https, tlsCert, tlsKey, admin, adminHost, health, watchWithoutClass, ingressClass, adoptNginx, ownNginx, nginxConfigMap, gatewayClass, gatewayAddress, zone, reach,
            publishAddress, publishService, leaseNamespace, events, readinessGate, affinityKeyFile, drainDelay, http1Forwarder, inlineIo, transport, accessLog, accessLogFormat, otlpEndpoint, traceSampleRatio, podSeriesRetention, logLevel,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            // Before any socket exists: .NET reads the setting when the first one is used.
            InlineSocketCompletions.Apply(result.GetValue(inlineIo));
            var useApi = result.GetValue(kubeconfig) is not null || result.GetValue(inCluster) || result.GetValue(context) is not null;
            if (!useApi && result.GetValue(manifests) is null && result.GetValue(config) is null)
            {
                error.WriteLine("onehop run: nothing to serve. Give --kubeconfig PATH or --in-cluster (the Kubernetes API), --manifests DIR, and/or --config FILE (try `onehop demo` for a tour).");
                return 2;
            }

            TimeSpan drain = default;
            if (result.GetValue(drainDelay) is { } drainText && !TryParseDrainDelay(drainText, out drain))
            {
                error.WriteLine($"onehop run: --drain-delay {drainText} is not a duration up to {MaxDrainDelay.TotalMinutes:0}m (e.g. 5s)");
                return 2;
            }

            TimeSpan? gateTimeout = null;
            if (result.GetResult(readinessGate) is not null)
            {
                var gateText = result.GetValue(readinessGate);
                if (string.IsNullOrEmpty(gateText))
                {
                    gateTimeout = ReadinessGateOptions.DefaultNotServedTimeout;
                }
                else if (Durations.TryParse(gateText, out var parsed))
                {
                    gateTimeout = parsed;
                }
                else
                {
                    error.WriteLine($"onehop run: --readiness-gate {gateText} is not a duration (e.g. 5m)");
                    return 2;
                }

                if (!useApi)
                {
                    error.WriteLine("onehop run: --readiness-gate needs the Kubernetes API (--kubeconfig, --context or --in-cluster)");
                    return 2;
                }
            }

            byte[]? affinityKey = null;
            if (result.GetValue(affinityKeyFile) is { } secretFile)
            {
                try
                {
                    affinityKey = await File.ReadAllBytesAsync(secretFile.FullName, cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"onehop run: --affinity-key-file {secretFile.FullName}: {ex.Message}");
                    return 1;
                }

                if (affinityKey.Length < Core.Balancing.AffinityKey.MinimumBytes)
                {
                    error.WriteLine($"onehop run: --affinity-key-file {secretFile.FullName}: {affinityKey.Length} bytes; a key needs at least {Core.Balancing.AffinityKey.MinimumBytes} (e.g. head -c 32 /dev/urandom)");
                    return 2;
                }
            }

            var loaded = ConfigFiles.Load(result.GetValue(config), error);
            if (loaded is null)
            {
                return 1;
            }

            IKubernetes? client = null;
            if (useApi)
            {
                (client, var problem) = KubernetesConnection.Connect(result.GetValue(kubeconfig)?.FullName, result.GetValue(context), result.GetValue(inCluster));
                problem ??= client is null ? null : await KubernetesConnection.CheckCredentialsAsync(client, cancellationToken);
                if (problem is not null)
                {
                    error.WriteLine($"onehop run: {problem}");
                    return 1;
                }
            }

            if (result.GetValue(publishService) is { } published && published.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
            {
                error.WriteLine($"onehop run: --publish-service {published} is not NAMESPACE/NAME");
                return 2;
            }

            CertificateFileConfig? defaultCertificate = null;
            if (result.GetValue(tlsCert) is { } certFile)
            {
                var keyFile = result.GetValue(tlsKey);
                var (_, certificateError) = keyFile is null
                    ? (null, "--tls-cert needs --tls-key")
                    : CertificateParser.Parse(await File.ReadAllTextAsync(certFile.FullName, cancellationToken), await File.ReadAllTextAsync(keyFile.FullName, cancellationToken));
                if (certificateError is not null)
                {
                    error.WriteLine($"onehop run: {certFile.FullName}: {certificateError.Replace("tls.crt", "--tls-cert", StringComparison.Ordinal).Replace("tls.key", "--tls-key", StringComparison.Ordinal)}");
                    return 1;
                }

                defaultCertificate = new CertificateFileConfig(certFile.FullName, keyFile!.FullName);
            }

            var className = result.GetValue(ingressClass) ?? loaded.Ingress.ClassName;
            var publishing = new StatusPublishingOptions(
                [.. result.GetValue(publishAddress) ?? []],
                result.GetValue(publishService),
                result.GetValue(leaseNamespace) ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "default",
                $"onehop-{className}-leader",
                Environment.GetEnvironmentVariable("POD_NAME") ?? $"{Environment.MachineName}-{Environment.ProcessId}");
            var options = new ServerOptions
            {
                StatusPublishing = publishing,
                ReadinessGate = gateTimeout is { } waited
                    ? new ReadinessGateOptions(publishing.LeaseNamespace, publishing.LeaseName, publishing.Identity) { NotServedTimeout = waited }
                    : null,
                ManifestDirectory = result.GetValue(manifests)?.FullName,
                ConfigFile = result.GetValue(config)?.FullName,
                Kubernetes = client,
                Events = result.GetValue(events),
                KubernetesOptions = KubernetesSourceOptions.Default with { Namespaces = [.. result.GetValue(namespaces) ?? []] },
                Config = loaded,
                Http = [.. result.GetValue(http) ?? []],
                Https = [.. result.GetValue(https) ?? []],
                TlsCertificate = defaultCertificate,
                Admin = result.GetValue(admin),
                AdminHosts = [.. result.GetValue(adminHost) ?? []],
                Health = result.GetValue(health),
                WatchIngressWithoutClass = result.GetResult(watchWithoutClass) is null ? null : result.GetValue(watchWithoutClass),
                IngressClass = result.GetValue(ingressClass),
                AdoptIngressNginx = result.GetValue(adoptNginx),
                OwnIngressNginx = result.GetValue(ownNginx),
                NginxConfigMap = result.GetValue(nginxConfigMap),
                GatewayClass = result.GetValue(gatewayClass),
                GatewayAddresses = [.. result.GetValue(gatewayAddress) ?? []],
                HostAddresses = HostAddresses(),
                Zone = result.GetValue(zone),
                Reach = result.GetValue(reach),
                NodeName = Environment.GetEnvironmentVariable("NODE_NAME") is { Length: > 0 } node ? node : null,
                LogLevel = result.GetValue(logLevel),
                DrainDelay = drain,
                AffinityKey = affinityKey,
                Http1Forwarder = result.GetValue(http1Forwarder),
                InlineIo = result.GetValue(inlineIo),
                Transport = result.GetValue(transport),
                AccessLog = result.GetValue(accessLog),
                AccessLogFormat = result.GetValue(accessLogFormat),
                Tracing = result.GetValue(otlpEndpoint) is { } collector ? new Core.Telemetry.Tracing.TracingOptions(collector, result.GetValue(traceSampleRatio)) : null,
                PodSeriesRetention = result.GetValue(podSeriesRetention),
            };
            return await ServeAsync(options, output, error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> ServeAsync(ServerOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var loggerFactory = ConsoleLogging.Create(options.LogLevel);
        OneHopServer server;
        try
        {
            server = await OneHopServer.StartAsync(options, loggerFactory, TimeProvider.System, cancellationToken);
        }
        catch (IOException ex) when (ex.InnerException is SocketException or Microsoft.AspNetCore.Connections.AddressInUseException or null)
        {
            error.WriteLine($"onehop: cannot listen: {BindFailure(ex)}");
            return 1;
        }

        await using (server)
        {
            output.WriteLine($"OneHop is listening on {string.Join(", ", server.HttpUrls)}; admin API on {server.AdminUrl}");
            if (server.HealthUrl is { } healthUrl)
            {
                output.WriteLine($"Health endpoints (/healthz, /readyz, /metrics) on {healthUrl}");
            }
            _ = AnnounceReadyAsync(server, output, cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                if (options.DrainDelay > TimeSpan.Zero)
                {
                    output.WriteLine($"OneHop is draining for {Durations.Format(options.DrainDelay)}: still serving; /readyz answers 503 and connections close after their next request.");
                    server.BeginDrain();
                    await Task.Delay(options.DrainDelay, CancellationToken.None);
                }

                output.WriteLine("OneHop is stopping: in-flight requests finish first.");
            }
        }

        return 0;
    }

    /// <summary>Kestrel's bind failure in one line, with how to find what holds the port.</summary>
    private static string BindFailure(IOException ex)
    {
        var message = ex.Message.TrimEnd('.');
        var port = System.Text.RegularExpressions.Regex.Match(message, @":(\d+)(?:/|:|$| )") is { Success: true } m ? m.Groups[1].Value : null;
        return ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException && port is not null
            ? $"{message} (another process holds the port: `ss -ltnp 'sport = :{port}'` shows which)"
            : message;
    }

    private static async Task AnnounceReadyAsync(OneHopServer server, TextWriter output, CancellationToken cancellationToken)
    {
        while (!server.Coordinator.IsReady)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var warning = server.Coordinator.ReadyWarning is { } w ? $" {w}." : string.Empty;
        output.WriteLine($"OneHop is ready: routing snapshot {server.Coordinator.Status.Version} is live.{warning}");
    }

    /// <summary>
    /// The unicast addresses of this host's interfaces at start, for a Gateway's requested addresses under a wildcard
    /// <c>--gateway-address</c>; an address added later (a VIP moving here) is seen at the next start.
    /// </summary>
    private static System.Collections.Immutable.ImmutableArray<System.Net.IPAddress> HostAddresses() =>
        [.. System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)];
}
