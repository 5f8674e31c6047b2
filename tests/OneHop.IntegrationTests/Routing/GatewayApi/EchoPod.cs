using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Routing.GatewayApi;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// A pod like the conformance suite's echo-basic: it answers every request with JSON of what it received (the request
/// target as sent, Host, method, protocol, every header with all its values) and who it is (pod and namespace), and
/// sets the response headers a client asks for in <c>X-Echo-Set-Header: name:value,name:value</c>. A <c>delay</c> query
/// parameter (<c>?delay=1s</c>) holds the answer back that long; a WebSocket gets its messages back.
/// </summary>
internal sealed class EchoPod : IAsyncDisposable
{
    public const string SetHeader = "X-Echo-Set-Header";

    private readonly WebApplication _app;

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

    public static async Task<EchoPod> StartAsync(string name, string ns, int port, CancellationToken cancellationToken)
    {
        var address = LoopbackAddresses.Next();
        var app = KestrelApps.Create(address, port);
        var pod = new EchoPod(app, name, ns, address);
        app.UseWebSockets();
        app.Run(pod.EchoAsync);
        pod.Port = await KestrelApps.StartAsync(app, cancellationToken);
        return pod;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }

    private async Task EchoAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            await KestrelApps.EchoWebSocketAsync(context);
            return;
        }

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
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, echoed, EchoedRequest.Json, context.RequestAborted);
    }
}
