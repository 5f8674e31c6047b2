using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>The pace of answers (ingress-nginx's limit-rate), installed around the attempts of the routes that have it, and only those.</summary>
internal sealed partial class ProxyHandler
{
    /// <summary>
    /// The attempts (and the compression over them) with the paced body in place of the response's, outermost, so that
    /// the bytes paced are the ones the client gets; what a forwarder left unflushed is sent, paced, before the end.
    /// </summary>
    private async Task ProceedPacedAsync(ProxyRequest request, RouteResponseRate rate)
    {
        var context = request.Context;
        var features = context.Features;
        var body = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var paced = request.PacedBody.Over(body, rate, time, context.RequestAborted);
        features.Set<IHttpResponseBodyFeature>(paced);
        try
        {
            await (request.Compresses ? ProceedCompressed(request) : Proceed(request));
            await paced.DrainAsync();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left while its answer waited for its pace: the attempt already accounted for it.
        }
        finally
        {
            features.Set(body);
            paced.Release();
        }
    }
}
