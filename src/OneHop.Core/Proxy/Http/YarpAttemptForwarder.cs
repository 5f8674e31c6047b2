using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http.AccessLog;
using OneHop.Core.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Forwards an attempt with YARP's forwarder in direct mode (<see cref="IHttpForwarder"/>): no YARP routes, clusters or
/// policies, only its battle-tested HTTP/2, gRPC and WebSocket forwarding over the backend's client. OneHop's own
/// HTTP/1.1 forwarder carries plain HTTP/1.1 backends by default; this one carries h2, h2c and gRPC backends, and
/// HTTP/1.1 too when run with <c>--http1-forwarder yarp</c>. YARP counts no bytes that OneHop can read per attempt, so
/// the attempt's bodies are counted here (<see cref="CountingBodies"/>) with the meaning the lean forwarder gives them:
/// the request body as the client sent it, the response body as the pod sent it to the client (decoded, without chunk or
/// HTTP/2 framing; nothing of an answer held back, nor of a tunnel after an upgrade).
/// </summary>
internal sealed class YarpAttemptForwarder(IHttpForwarder forwarder, UpstreamClients clients) : IAttemptForwarder
{
    /// <summary>YARP's StreamCopier buffer: the most one write of a response body carries.</summary>
    private const int YarpCopyBuffer = 64 * 1024;

    private readonly ConditionalWeakTable<BackendState, ForwarderRequestConfig> _configs = [];
    private ForwardingTransformer _transformer = new(new());

    public async ValueTask<AttemptOutcome> ForwardAsync(HttpContext context, ForwardAttempt attempt, CancellationToken cancellationToken)
    {
        var (routing, backend, destination, _, timeouts) = attempt;
        var transformer = _transformer;
        if (transformer.Forwarded != routing.Forwarded)
        {
            transformer = new ForwardingTransformer(routing.Forwarded);
            _transformer = transformer;
        }

        var config = _configs.GetValue(backend, b => RequestConfig(b, routing));
        if (timeouts?.Read is { } read)
        {
            // YARP has one activity timeout, both directions: the route's read timeout (ingress-nginx's proxy-read-timeout).
            config = config with { ActivityTimeout = read };
        }

        var request = context.Features.Get<ProxyRequest>();
        if (request?.Loop.Route?.ResponseRate is { } rate) // no route yet on an error page's own request
        {
            // YARP's one timeout also runs while its copier's write waits: a paced write of its 64 KiB buffer may take
            // that much longer without the pod being silent (the lean forwarder stops its read timer instead).
            config = config with { ActivityTimeout = config.ActivityTimeout + TimeSpan.FromSeconds(YarpCopyBuffer / (double)rate.BytesPerSecond) };
        }

        var invoker = clients.For(backend.Backend, routing.Defaults, timeouts?.Connect);
        var bodies = request is null ? null : CountingBodies.AttachForAttempt(context);
        ForwarderError error;
        try
        {
            error = await forwarder.SendAsync(context, destination.Prefix, invoker, config, attempt.ReplacesErrors ? transformer.WithErrorPages : transformer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (bodies is not null)
            {
                // Before anything else writes: OneHop's own answer after a failed attempt is not the pod's.
                bodies.Detach(context);
                request!.SentBodyBytes += bodies.Request.Bytes;
                request.ReceivedBodyBytes += bodies.Response.Bytes;
            }
        }

        return YarpOutcomes.Classify(context, error, routeTimedOut: cancellationToken.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested);
    }

    private static ForwarderRequestConfig RequestConfig(BackendState backend, HttpRouting routing)
    {
        var http2 = BackendProtocols.IsHttp2(backend.Backend.Protocol);
        return new ForwarderRequestConfig
        {
            ActivityTimeout = routing.Defaults.RequestTimeout,
            Version = http2 ? HttpVersion.Version20 : HttpVersion.Version11,

            // Exact for HTTP/2: h2c needs prior knowledge, there is no upgrade to fall back from.
            VersionPolicy = http2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
        };
    }
}
