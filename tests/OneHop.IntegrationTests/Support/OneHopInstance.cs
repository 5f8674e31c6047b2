using System.Net.Http.Json;
using System.Text.Json;
using k8s;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;
using OneHop.Core.Control;
using OneHop.Core.Demo;
using OneHop.Core.Sources.Config;
using OneHop.Core.Sources.Kubernetes;
using OneHop.Hosting;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// A real OneHop (the same server <c>onehop run</c> starts) on 127.0.0.1 with a fresh manifest directory, plus
/// clients for its proxy and admin listeners.
/// </summary>
internal sealed class OneHopInstance : IAsyncDisposable
{
    private readonly ILoggerFactory _logs;
    private int _disposed;

    private OneHopInstance(OneHopServer server, string directory, ILoggerFactory logs, HttpMessageHandler? handler)
    {
        Server = server;
        Directory = directory;
        _logs = logs;
        Proxy = handler is null ? new HttpClient() : new HttpClient(handler);
        Proxy.BaseAddress = new Uri(server.HttpUrls.FirstOrDefault(u => u.StartsWith("http:", StringComparison.Ordinal)) ?? server.HttpUrls[0]);
        Proxy.Timeout = TimeSpan.FromSeconds(10);
        Admin = new HttpClient { BaseAddress = new Uri(server.AdminUrl), Timeout = TimeSpan.FromSeconds(10) };
    }

    public OneHopServer Server { get; }

    public string Directory { get; }

    public HttpClient Proxy { get; }

    public HttpClient Admin { get; }

    /// <summary>The port of the first listener with this scheme ("http" or "https").</summary>
    public int Port(string scheme) => Server.HttpUrls.Select(u => new Uri(u)).First(u => u.Scheme == scheme).Port;

    /// <summary>OneHop fed by the Kubernetes API (the test server), with quick watch timings so tests run fast.</summary>
    public static Task<OneHopInstance> StartAsync(IKubernetes kubernetes, CancellationToken cancellationToken, InformerOptions? informers = null, string? config = null, StatusPublishingOptions? publishing = null, Func<ServerOptions, ServerOptions>? configure = null) =>
        StartCoreAsync(new Dictionary<string, string>(), config, null, kubernetes, informers ?? QuickInformers, useManifests: false, cancellationToken, publishing, configure: configure);

    public static readonly InformerOptions QuickInformers = new()
    {
        WatchTimeoutMin = TimeSpan.FromSeconds(20),
        WatchTimeoutMax = TimeSpan.FromSeconds(30),
        WatchdogGrace = TimeSpan.FromSeconds(5),
        BackoffInitial = TimeSpan.FromMilliseconds(50),
        BackoffMax = TimeSpan.FromMilliseconds(500),
        ForbiddenRetry = TimeSpan.FromSeconds(1),
    };

    public static Task<OneHopInstance> StartAsync(
        IReadOnlyDictionary<string, string> manifests,
        CancellationToken cancellationToken,
        string? config = null,
        HttpMessageHandler? handler = null,
        bool https = false,
        Func<ServerOptions, ServerOptions>? configure = null) =>
        StartCoreAsync(manifests, config, handler, null, null, useManifests: true, cancellationToken, https: https, configure: configure);

    private static async Task<OneHopInstance> StartCoreAsync(
        IReadOnlyDictionary<string, string> manifests,
        string? config,
        HttpMessageHandler? handler,
        IKubernetes? kubernetes,
        InformerOptions? informers,
        bool useManifests,
        CancellationToken cancellationToken,
        StatusPublishingOptions? publishing = null,
        bool https = false,
        Func<ServerOptions, ServerOptions>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"onehop-it-{Guid.NewGuid():N}");
        var manifestDirectory = Path.Combine(directory, "manifests");
        System.IO.Directory.CreateDirectory(manifestDirectory);
        foreach (var (name, content) in manifests)
        {
            await File.WriteAllTextAsync(Path.Combine(manifestDirectory, name), content, cancellationToken);
        }

        string? configPath = null;
        var loaded = OneHopConfig.Default;
        if (config is not null)
        {
            configPath = Path.Combine(directory, "onehop.yaml");
            await File.WriteAllTextAsync(configPath, config, cancellationToken);
            loaded = ConfigLoader.LoadFile(configPath).Config ?? throw new InvalidOperationException("test config has errors");
        }

        var logs = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(Environment.GetEnvironmentVariable("ONEHOP_TEST_LOGS") == "1" ? LogLevel.Debug : LogLevel.Warning));
        var options = new ServerOptions
        {
            ManifestDirectory = useManifests ? manifestDirectory : null,
            Kubernetes = kubernetes,
            KubernetesOptions = KubernetesSourceOptions.Default with { Informers = informers ?? new InformerOptions() },
            StatusPublishing = publishing,
            ConfigFile = configPath,
            Config = loaded,
            // The config file's listeners when it has any (tests of listener settings); else loopback, any port.
            Http = loaded.Listeners.IsEmpty ? [ListenAddress.Parse("127.0.0.1:0")] : [],
            Https = https ? [ListenAddress.Parse("127.0.0.1:0")] : [],
            Admin = ListenAddress.Parse("127.0.0.1:0"),

            // Gateways' ports (80, 8080...) on an address of this instance's own, so parallel tests never collide.
            GatewayAddresses = [System.Net.IPAddress.Parse(LoopbackAddresses.Next())],
            ShutdownTimeout = TimeSpan.FromSeconds(2),
        };
        options = configure?.Invoke(options) ?? options;
        var server = await OneHopServer.StartAsync(options, logs, TimeProvider.System, cancellationToken);
        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(15), cancellationToken);
        return new OneHopInstance(server, directory, logs, handler);
    }

    public string ManifestPath(string name) => Path.Combine(Directory, "manifests", name);

    /// <summary>Writes a manifest the way editors do: a temporary file renamed over the old one.</summary>
    public async Task WriteManifestAsync(string name, string content, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Directory, "manifests", $".{name}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temp, content, cancellationToken);
        File.Move(temp, ManifestPath(name), overwrite: true);
    }

    /// <summary>Replaces the config file by rename, as configuration management does; OneHop reloads it.</summary>
    public async Task WriteConfigAsync(string content, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Directory, $".onehop.{Guid.NewGuid():N}.yaml.tmp");
        await File.WriteAllTextAsync(temp, content, cancellationToken);
        File.Move(temp, Path.Combine(Directory, "onehop.yaml"), overwrite: true);
    }

    /// <summary>GET through OneHop; returns the status and the pod that answered (its X-Pod header).</summary>
    public async Task<(int Status, string? Pod, string Body)> GetAsync(string path, CancellationToken cancellationToken, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await Proxy.SendAsync(request, cancellationToken);
        var pod = response.Headers.TryGetValues(DemoPod.PodHeader, out var values) ? values.Single() : null;
        return ((int)response.StatusCode, pod, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public async Task<JsonElement> StatusAsync(CancellationToken cancellationToken) =>
        await Admin.GetFromJsonAsync<JsonElement>("/api/status", cancellationToken);

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout.TotalSeconds}s waiting for: {what}");
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Stops OneHop and removes its directory; a second call does nothing (a test may stop a replica early).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Proxy.Dispose();
        Admin.Dispose();
        await Server.DisposeAsync();
        _logs.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
