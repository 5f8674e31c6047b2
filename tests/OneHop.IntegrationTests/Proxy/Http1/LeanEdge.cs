using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Proxy.Http1;

namespace OneHop.IntegrationTests.Proxy.Http1;

/// <summary>
/// A small Kestrel edge (Latin-1 headers both ways, as OneHop's listeners) whose every request goes through one
/// <see cref="Http1Forwarder"/> to one upstream, and which records each attempt's outcome and whether the answer had
/// started. A failure before the answer started gets a 502 with <c>X-Outcome</c>, as a caller would answer itself.
/// </summary>
internal sealed class LeanEdge : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<EdgeAttempt> _attempts = Channel.CreateUnbounded<EdgeAttempt>();

    private LeanEdge(WebApplication app, Http1Forwarder forwarder, Http1Upstream upstream)
    {
        _app = app;
        Forwarder = forwarder;
        Upstream = upstream;
    }

    public Http1Forwarder Forwarder { get; }

    /// <summary>The pool of the one upstream.</summary>
    public Http1Upstream Upstream { get; }

    public int Port { get; private set; }

    public Uri Url(string pathAndQuery) => new($"http://127.0.0.1:{Port}{pathAndQuery}");

    public static async Task<LeanEdge> StartAsync(
        Http1UpstreamKey key, CancellationToken cancellationToken, Http1ForwarderOptions? options = null, Http1RequestShape? shape = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
            k.RequestHeaderEncodingSelector = HeaderEncodings.Request;
            k.ResponseHeaderEncodingSelector = static _ => HeaderEncodings.Passthrough;
            k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var forwarder = new Http1Forwarder(options ?? new Http1ForwarderOptions(), time ?? TimeProvider.System, NullLoggerFactory.Instance);
        var edge = new LeanEdge(app, forwarder, forwarder.Upstream(key));
        app.Run(context => edge.ForwardAsync(context, shape ?? Http1RequestShape.AsSent));
        await app.StartAsync(cancellationToken);
        edge.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return edge;
    }

    /// <summary>The next attempt the edge finished.</summary>
    public async Task<EdgeAttempt> NextAttemptAsync(CancellationToken cancellationToken) => await _attempts.Reader.ReadAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Forwarder.DisposeAsync();
    }

    private async Task ForwardAsync(HttpContext context, Http1RequestShape shape)
    {
        var outcome = await Forwarder.ForwardAsync(context, Upstream, shape, CancellationToken.None);
        var started = context.Response.HasStarted;
        if (!started && outcome is not (AttemptOutcome.Success or AttemptOutcome.PodError))
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            context.Response.Headers["X-Outcome"] = outcome.ToString();
        }

        _attempts.Writer.TryWrite(new EdgeAttempt(outcome, started));
    }
}

/// <summary>One attempt as the edge saw it end.</summary>
internal sealed record EdgeAttempt(AttemptOutcome Outcome, bool ResponseStarted);
