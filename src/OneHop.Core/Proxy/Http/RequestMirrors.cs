using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Concurrency;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Gateway API's RequestMirror: a copy of the request, as it leaves the route's filters, sent to one pod of each mirror
/// backend, fire and forget: its answer is read and dropped, its failure ignored, and the main request never waits
/// for it. Requests with a body are not mirrored (the body is streamed to the pod that answers, never buffered), or
/// mirrored without it when the mirror says so (ingress-nginx's <c>mirror-request-body: off</c>).
/// </summary>
internal sealed class RequestMirrors(UpstreamClients clients)
{
    private static readonly HashSet<string> NotCopied = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Content-Length",
    };

    public void Send(HttpContext context, HttpRouting routing, RouteMirror[] mirrors, IRandomSource random)
    {
        var request = context.Request;
        // Kestrel's body detection, not the length headers: an HTTP/2 body (a gRPC call's) may come with neither.
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0);
        foreach (var mirror in mirrors)
        {
            if ((hasBody && !mirror.WithoutBody)
                || (mirror.Numerator < mirror.Denominator && random.Next(mirror.Denominator) >= mirror.Numerator)
                || !routing.Backends.TryGetValue(mirror.BackendId, out var backend))
            {
                continue;
            }

            var available = backend.Available();
            if (available.Count == 0)
            {
                continue;
            }

            var destination = available[random.Next(available.Count)];
            var target = mirror.TargetTemplate is { } template ? template.Expand(RequestVariables.Value, context) : RequestVariables.RequestUri(context);
            var copy = new HttpRequestMessage(new HttpMethod(request.Method), destination.Prefix + target)
            {
                Version = BackendProtocols.IsHttp2(backend.Backend.Protocol) ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            foreach (var (name, values) in request.Headers)
            {
                if (!NotCopied.Contains(name))
                {
                    copy.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }

            copy.Headers.Host = mirror.Host ?? request.Host.Value;
            _ = SendAsync(clients.For(backend.Backend, routing.Defaults), copy, routing.Defaults.RequestTimeout);
        }
    }

    private static async Task SendAsync(HttpMessageInvoker invoker, HttpRequestMessage copy, TimeSpan timeout)
    {
        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            using var response = await invoker.SendAsync(copy, deadline.Token).ConfigureAwait(false);
            await response.Content.CopyToAsync(Stream.Null, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            // A mirror's failure is nobody's business: the request it copies has its own answer.
        }
        finally
        {
            copy.Dispose();
        }
    }
}
