using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Routing.GatewayApi;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// A pod like the conformance suite's echo-basic: it answers every request with JSON of what it received (the request
/// target as sent, Host, method, protocol, every header with all its values) and who it is (pod and namespace), and
/// sets the response headers a client asks for in <c>X-Echo-Set-Header: name:value,name:value</c>. A <c>delay</c> query
/// parameter (<c>?delay=1s</c>) holds the answer back that long; a WebSocket gets its messages back. Under
/// <c>/retry/</c> it fails as echo-basic's retry simulation does (<see cref="RetryAsync"/>).
/// </summary>
internal sealed class EchoPod : IAsyncDisposable
{
    public const string SetHeader = "X-Echo-Set-Header";

    private readonly WebApplication _app;

    /// <summary>echo-basic's one mutex of the retry simulation, held through its <c>delayRetry</c> wait as there.</summary>
    private readonly SemaphoreSlim _retryLock = new(1, 1);
    private readonly Dictionary<string, int> _failed = [];
    private readonly ConcurrentDictionary<string, int> _seen = [];
    private readonly ConcurrentDictionary<string, int> _echoed = [];

    private EchoPod(WebApplication app, string name, string ns, string address)
    {
        _app = app;
        Name = name;
        Namespace = ns;
        Address = address;
    }

    public string Name { get; }

    public string Namespace { get; }

    public string Address { get; }

    public int Port { get; private set; }

    /// <summary>The port that speaks HTTP/2 with prior knowledge (h2c), as echo-basic's does for appProtocol <c>kubernetes.io/h2c</c>.</summary>
    public int H2cPort { get; private set; }

    public static async Task<EchoPod> StartAsync(string name, string ns, int port, int h2cPort, CancellationToken cancellationToken)
    {
        var address = LoopbackAddresses.Next();
        var app = KestrelApps.Create(address, port, h2cPort: h2cPort);
        var pod = new EchoPod(app, name, ns, address);
        app.UseWebSockets();
        app.Run(pod.EchoAsync);
        pod.Port = await KestrelApps.StartAsync(app, cancellationToken);
        pod.H2cPort = KestrelApps.Ports(app)[1];
        return pod;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
        _retryLock.Dispose();
    }

    /// <summary>
    /// How many requests of <paramref name="target"/> (path and query, as sent) the pod echoed: echo-basic's log lines
    /// "Echoing back request made to TARGET to client", which the suite counts to check a mirror's share.
    /// </summary>
    public int Echoed(string target) => _echoed.GetValueOrDefault(target);

    /// <summary>How many requests of the retry simulation with this <c>uuid</c> reached the pod (OneHop's attempts).</summary>
    public int RetryAttempts(string uuid) => _seen.GetValueOrDefault(uuid);

    private async Task EchoAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            await KestrelApps.EchoWebSocketAsync(context);
            return;
        }

        if (context.Request.Path.StartsWithSegments("/retry"))
        {
            await RetryAsync(context);
            return;
        }

        await AnswerAsync(context);
    }

    /// <summary>
    /// echo-basic's retrySimulationHandler: the first <c>succeedAfter</c> requests with a <c>uuid</c> fail, after
    /// <c>delayRetry</c> (not cut short when OneHop gives up on them, as Go's sleep is not), by <c>responseCode</c> or else
    /// a TCP reset; later ones are echoed.
    /// </summary>
    private async Task RetryAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["uuid"] is not [{ Length: > 0 } uuid] || !int.TryParse(query["succeedAfter"], out var succeedAfter))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("uuid and succeedAfter are required");
            return;
        }

        _seen.AddOrUpdate(uuid, 1, (_, n) => n + 1);
        await _retryLock.WaitAsync();
        try
        {
            if (_failed.GetValueOrDefault(uuid) < succeedAfter)
            {
                _failed[uuid] = _failed.GetValueOrDefault(uuid) + 1;
                if (query["delayRetry"] is [{ } delay] && GatewayDuration.TryParse(delay, out var wait))
                {
                    await Task.Delay(wait);
                }

                if (int.TryParse(query["responseCode"], out var status))
                {
                    context.Response.StatusCode = status;
                    return;
                }

                // SO_LINGER 0 then close: a reset, as the simulation's hijacked connection gives.
                if (context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }

                context.Abort();
                return;
            }
        }
        finally
        {
            _retryLock.Release();
        }

        await AnswerAsync(context);
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        foreach (var pair in request.Headers[SetHeader].SelectMany(v => (v ?? string.Empty).Split(',')))
        {
            // As echo-basic: a name given twice gets its values joined by commas in one header.
            var (name, value) = (pair.Split(':', 2)[0].Trim(), pair.Split(':', 2).ElementAtOrDefault(1)?.Trim() ?? string.Empty);
            if (name.Length > 0)
            {
                response.Headers[name] = response.Headers.TryGetValue(name, out var existing) ? $"{existing},{value}" : value;
            }
        }

        if (request.Query["delay"] is [{ } delay] && GatewayDuration.TryParse(delay, out var wait))
        {
            await Task.Delay(wait, context.RequestAborted);
        }

        var echoed = new EchoedRequest(
            context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString,
            request.Host.Value ?? string.Empty,
            request.Method,
            request.Protocol,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? string.Empty).ToArray(), StringComparer.OrdinalIgnoreCase),
            Namespace,
            Name);
        _echoed.AddOrUpdate(echoed.Path, 1, (_, n) => n + 1);
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, echoed, EchoedRequest.Json, context.RequestAborted);
    }
}
