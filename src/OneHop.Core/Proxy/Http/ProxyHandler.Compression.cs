using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.ResponseCompression;
using OneHop.Core.Proxy.Http.Compression;

namespace OneHop.Core.Proxy.Http;

/// <summary>Response compression, installed around the attempts of the routes that have it, and only those.</summary>
internal sealed partial class ProxyHandler
{
    private ResponseCompressionMiddleware? _compressor;

    /// <summary>
    /// The attempts with ASP.NET Core's compressing body in place of the response's: whichever forwarder answers writes
    /// through it, and the coding is decided at the answer's head (<see cref="RouteCompressionProvider"/>). A request of
    /// another route never meets it, so compression costs nothing where it is off.
    /// </summary>
    private Task ProceedCompressed(ProxyRequest request)
    {
        var context = request.Context;
        if (!RouteCompressionProvider.Instance.CheckRequestAcceptsCompression(context))
        {
            RouteCompressionProvider.VaryWithoutCompressing(context);
            return Proceed(request);
        }

        _compressor ??= new ResponseCompressionMiddleware(c => Proceed(c.Features.GetRequiredFeature<ProxyRequest>()), RouteCompressionProvider.Instance);
        return CompressAsync(context, request.Coding!.Body);
    }

    /// <summary>The compressing body over <see cref="CoalescedResponseBody"/>, over the response's; each put back after.</summary>
    private async Task CompressAsync(Microsoft.AspNetCore.Http.HttpContext context, CoalescedResponseBody coalesced)
    {
        var features = context.Features;
        var body = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        features.Set<IHttpResponseBodyFeature>(coalesced.Over(body));
        try
        {
            await _compressor!.Invoke(context);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left, or the answer was aborted (a pod that cut it): finishing the coded answer has nowhere to
            // go. The attempt already accounted for it, as on a route without compression.
        }
        finally
        {
            features.Set(body);
        }
    }
}
