using Microsoft.AspNetCore.Http;
using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// ingress-nginx's <c>custom-http-errors</c>: when the last attempt leaves the client an answer the route's error pages
/// replace (the pod's, held back unsent, or OneHop's own 502/503/504), the default backend answers instead, once.
/// </summary>
internal sealed partial class ProxyHandler
{
    /// <summary>The request's end after its last attempt: the error page when one replaces the answer, else the usual end.</summary>
    private Task FinishAsync(ProxyRequest proxyRequest, AttemptOutcome outcome)
    {
        var context = proxyRequest.Context;
        ref var loop = ref proxyRequest.Loop;
        var (heldBack, backend, attempts, retry) = (loop.HeldBack, loop.Backend.Name, loop.Attempt, loop.Route.Retry);
        if (proxyRequest.ErrorPages is not { } errorPages || context.Response.HasStarted
            || ClientStatus(context, outcome, retry) is not { } status || !errorPages.Pages.Replaces(status))
        {
            return FinishAsync(context, outcome, heldBack, backend, attempts, retry);
        }

        if (errorPages.Backend.Available().Count > 0)
        {
            return ErrorPageAsync(proxyRequest, loop.Routing, errorPages, status, loop.CancellationToken);
        }

        // The pod's answer was held back for a page no endpoint can give: the client gets its status, said by OneHop.
        return outcome is AttemptOutcome.Success or AttemptOutcome.PodError
            ? ErrorResponses.WriteAsync(context, status, ErrorCodes.UpstreamStatus, $"{backend} answered {status}; {errorPages.Backend.Name}, which answers its errors, has no ready endpoints")
            : FinishAsync(context, outcome, heldBack, backend, attempts, retry);
    }

    /// <summary>
    /// One request to the error pages' backend in place of the answer of <paramref name="status"/>, as nginx's error
    /// location sends it; its answer, whatever it is, is the client's. Not retried: nginx's error location is not either.
    /// </summary>
    private async Task ErrorPageAsync(ProxyRequest proxyRequest, HttpRouting routing, ErrorPagesTarget errorPages, int status, CancellationToken cancellationToken)
    {
        var context = proxyRequest.Context;
        var backend = errorPages.Backend;
        var available = backend.Available();
        proxyRequest.ErrorPages = null;
        proxyRequest.MayHoldBack = false;
        proxyRequest.Retry = null;
        context.Features.Set(proxyRequest);
        context.Response.Clear();
        ErrorPageRequest.ForErrorPage(context, proxyRequest, errorPages.Pages, status, pickers.Context.Random);

        var destination = pickers.For(backend.Policy.LoadBalancing).Pick(backend, available, proxyRequest) ?? available[0];
        var started = time.GetTimestamp();
        destination.Runtime.RequestStarted();
        (proxyRequest.SentBodyBytes, proxyRequest.ReceivedBodyBytes) = (0, 0);
        var outcome = AttemptOutcome.ClientAbort;
        try
        {
            outcome = await forwarders.For(backend, context).ForwardAsync(context, new ForwardAttempt(routing, backend, destination, MayHoldBack: false), cancellationToken);
        }
        finally
        {
            Account(context, backend, destination, outcome, time.GetElapsedTime(started).TotalSeconds, proxyRequest);
        }

        await ErrorResponses.WriteAsync(context, outcome, backend.Name, attempts: 1);
    }

    /// <summary>The status the client would get after this last attempt; null when the client caused the end (nothing to replace).</summary>
    private static int? ClientStatus(HttpContext context, AttemptOutcome outcome, RouteRetry? retry) => outcome switch
    {
        AttemptOutcome.Success or AttemptOutcome.PodError => context.Response.StatusCode,
        AttemptOutcome.UpstreamReset or AttemptOutcome.BadUpstreamResponse when retry is not null => StatusCodes.Status503ServiceUnavailable,
        AttemptOutcome.ConnectRefused or AttemptOutcome.ConnectTimeout => StatusCodes.Status503ServiceUnavailable,
        AttemptOutcome.TlsFailure or AttemptOutcome.UpstreamReset or AttemptOutcome.BadUpstreamResponse => StatusCodes.Status502BadGateway,
        AttemptOutcome.Timeout => StatusCodes.Status504GatewayTimeout,
        _ => null,
    };
}
