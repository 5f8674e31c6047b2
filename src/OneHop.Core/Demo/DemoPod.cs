using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;

namespace OneHop.Core.Demo;

/// <summary>
/// A small real HTTP server standing in for a pod: it answers every request with its name, node and zone and the
/// request it saw (method, path, Host, X-Forwarded-For), and names itself in an <c>X-Pod</c> header.
/// </summary>
internal sealed class DemoPod : IAsyncDisposable
{
    public const string PodHeader = "X-Pod";

    private readonly WebApplication _app;
    private readonly IRandomSource _random;
    private long _requests;
    private int _inFlight;
    private int _peakInFlight;

    private DemoPod(WebApplication app, DemoPodOptions options, int port, IRandomSource random)
    {
        _app = app;
        _random = random;
        Options = options;
        Port = port;
    }

    public DemoPodOptions Options { get; }

    /// <summary>Faults to play, changeable at any time.</summary>
    public DemoPodBehavior Behavior { get; } = new();

    /// <summary>The port actually bound (differs from the requested one when that was 0).</summary>
    public int Port { get; }

    public string Endpoint => $"{Options.Address}:{Port}";

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests being answered now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests it has answered at once (tests of per-pod caps read it).</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    public static async Task<DemoPod> StartAsync(DemoPodOptions options, CancellationToken cancellationToken, IRandomSource? random = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Parse(options.Address), options.Port);
        });
        var app = builder.Build();
        DemoPod? pod = null;
        app.UseWebSockets();
        app.Run(context => pod!.HandleAsync(context));
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        pod = new DemoPod(app, options, new Uri(bound).Port, random ?? SharedRandomSource.Instance);
        return pod;
    }

    /// <summary>Stops like a pod that is shut down: no new connections, requests in flight finish.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Stops like a pod that crashes: the listener and every connection close at once.</summary>
    public async Task CrashAsync()
    {
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }

    private static async Task EchoAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
            {
                await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var now = Interlocked.Increment(ref _inFlight);
        for (var peak = Volatile.Read(ref _peakInFlight); now > peak; peak = Volatile.Read(ref _peakInFlight))
        {
            if (Interlocked.CompareExchange(ref _peakInFlight, now, peak) == peak)
            {
                break;
            }
        }

        try
        {
            await AnswerAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        context.Response.Headers[PodHeader] = Options.Name;
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (request.Path == "/healthz")
        {
            context.Response.StatusCode = Behavior.HealthStatus;
            await context.Response.WriteAsync(Behavior.HealthStatus < 400 ? "ok\n" : "unhealthy\n");
            return;
        }

        if (context.WebSockets.IsWebSocketRequest)
        {
            await EchoAsync(context);
            return;
        }

        if (request.Path == "/headers")
        {
            // Every header the pod received, one per line: what OneHop added or passed on.
            var lines = request.Headers.SelectMany(h => h.Value.Select(v => $"{h.Key}: {v}"));
            await context.Response.WriteAsync(string.Join('\n', lines) + "\n");
            return;
        }

        if (request.Path == "/download" && long.TryParse(request.Query["bytes"], System.Globalization.CultureInfo.InvariantCulture, out var size))
        {
            // Streams size bytes from one small buffer: a large response costs the pod no memory.
            var chunk = new byte[81920];
            context.Response.ContentLength = size;
            for (var left = size; left > 0; left -= chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)), context.RequestAborted);
            }

            return;
        }

        if (request.Path == "/upload")
        {
            // Counts the body without keeping it, so a large upload costs the pod no memory either.
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                total += read;
            }

            await context.Response.WriteAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"received {total}\n"));
            return;
        }

        if (Behavior.Delay is { Ticks: > 0 } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        var failureRate = Behavior.FailureRate;
        var status = failureRate > 0 && _random.NextDouble() < failureRate ? 500 : Behavior.Status;
        context.Response.StatusCode = status;

        var text = new StringBuilder()
            .Append("Hello from pod ").Append(Options.Name).Append(" (service ").Append(Options.Service).Append(')')
            .Append(" on node ").Append(Options.Node ?? "-").Append(", zone ").Append(Options.Zone ?? "-").Append('\n')
            .Append("  request: ").Append(request.Method).Append(' ').Append(request.Path).Append(request.QueryString).Append(' ').Append(request.Protocol).Append('\n')
            .Append("  host: ").Append(request.Host.Value).Append('\n')
            .Append("  x-forwarded-for: ").Append(request.Headers["X-Forwarded-For"].ToString()).Append('\n')
            .Append("  pod address: ").Append(Endpoint).Append('\n');
        await context.Response.WriteAsync(text.ToString());
    }
}
