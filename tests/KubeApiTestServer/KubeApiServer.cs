using System.Net;
using k8s;
using KubeApiTestServer.Http;
using KubeApiTestServer.Objects;
using KubeApiTestServer.Pagination;
using KubeApiTestServer.Storage;
using KubeApiTestServer.Watching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KubeApiTestServer;

/// <summary>
/// An in-process Kubernetes API server for tests: real HTTP/1.1 on loopback, the kinds and semantics of
/// <c>/work/shared/kubernetes-api.md</c>, test knobs, and a direct C# API over the same store, so watches
/// see every change. Stop and start again keeps the port, the objects and the resourceVersion counter.
/// </summary>
public sealed partial class KubeApiServer : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly ServerKnobs _knobs = new();
    private readonly ObjectService _objects;
    private readonly WatchControl _watchControl = new();
    private readonly ContinueTokenRegistry _tokens;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly Lock _requestsGate = new();
    private readonly List<RecordedRequest> _requests = [];
    private TaskCompletionSource _requestArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _port;

    public KubeApiServer(KubeApiServerOptions? options = null)
    {
        options ??= new KubeApiServerOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        _port = options.Port;
        _timeProvider = options.TimeProvider;
        _knobs.BearerToken = options.BearerToken;
        _store = new ObjectStore(options.HistoryCapacity);
        _objects = new ObjectService(_store, _knobs, _timeProvider);
        _tokens = new ContinueTokenRegistry(_timeProvider);
    }

    /// <summary>The port the server listens on (known after the first start when 0 was asked for).</summary>
    public int Port => _port;

    /// <summary>The server URL for KubernetesClient, e.g. <c>http://127.0.0.1:43117</c>.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{_port}");

    public bool IsRunning => _app is not null;

    /// <summary>Creates a server and starts it.</summary>
    public static async Task<KubeApiServer> StartNewAsync(KubeApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new KubeApiServer(options);
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts listening on 127.0.0.1 (again on the same port after a stop). Objects and RVs are kept.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_app is not null)
            {
                return;
            }

            var app = Build(_port);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            _port = BoundPort(app);
            _app = app;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Stops listening, as if the API server went away. Open watches end cleanly (with the terminating chunk)
    /// unless <paramref name="dropConnections"/>, which aborts them first. Data and RVs are kept for a restart.
    /// </summary>
    public async Task StopAsync(bool dropConnections = false, CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_app is not { } app)
            {
                return;
            }

            _app = null;
            if (dropConnections)
            {
                _watchControl.DropAll();
            }

            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>A client configuration for this server (plain HTTP, with the bearer token when one is required).</summary>
    public KubernetesClientConfiguration CreateClientConfiguration() =>
        new() { Host = BaseUri.ToString().TrimEnd('/'), AccessToken = _knobs.BearerToken };

    /// <summary>A KubernetesClient for this server.</summary>
    public Kubernetes CreateClient() => new(CreateClientConfiguration());

    /// <summary>Writes a kubeconfig for this server; see <see cref="KubeConfigFile.Write"/>.</summary>
    public string WriteKubeConfig(string path, string contextName = KubeConfigFile.DefaultContextName, string? defaultNamespace = null) =>
        KubeConfigFile.Write(path, BaseUri, _knobs.BearerToken, contextName, defaultNamespace);

    public async ValueTask DisposeAsync()
    {
        await StopAsync(dropConnections: true).ConfigureAwait(false);
        _watchControl.Dispose();
        _lifecycle.Dispose();
    }

    private static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return new Uri(addresses.First()).Port;
    }

    private WebApplication Build(int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        var handler = new ApiRequestHandler(
            new ObjectHandler(_objects),
            new ListHandler(_store, _knobs, _tokens, _timeProvider),
            new WatchHandler(_store, _knobs, _watchControl, _timeProvider),
            _knobs,
            _timeProvider,
            Record,
            app.Lifetime.ApplicationStopping);
        ((IApplicationBuilder)app).Run(handler.HandleAsync);
        return app;
    }

    private void Record(RecordedRequest request)
    {
        TaskCompletionSource arrived;
        lock (_requestsGate)
        {
            _requests.Add(request);
            arrived = _requestArrived;
            _requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrived.SetResult();
    }
}
