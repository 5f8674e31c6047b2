using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Telemetry;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Proxy pipeline step around load balancing and forwarding: when an attempt fails in a way that is safe to
/// repeat, the request goes again to a pod not yet tried — at most the backend's attempts, within its retry budget.
/// <list type="bullet">
/// <item>Connect failures (refused, reset or timed out while connecting): nothing was sent, any method is retried.</item>
/// <item>Other transport failures before a response, and 502/503 answers: only idempotent requests without a body.</item>
/// </list>
/// A request whose every attempt failed to connect gets 503 naming the backend.
/// </summary>
internal sealed class RetryMiddleware(RequestDelegate next, SnapshotCatalog catalog, ProxyMetrics metrics, TimeProvider time)
{
    private readonly ConditionalWeakTable<ClusterState, RetryBudget> _budgets = [];

    public async Task InvokeAsync(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        var cluster = feature.Route.Cluster!;
        var backend = catalog.BackendOf(cluster);
        var policy = backend?.Policy.Retry ?? BackendPolicy.Default.Retry;
        var budget = _budgets.GetValue(cluster, _ => new RetryBudget(time));
        budget.RecordRequest();

        var candidates = feature.AvailableDestinations;
        var maxAttempts = Math.Min(policy.Attempts, candidates.Count);
        if (maxAttempts <= 1)
        {
            await next(context);
            return;
        }

        var replayable = RequestRetryability.IsIdempotent(context.Request.Method) && RequestRetryability.HasNoBody(context.Request);
        var attempt = replayable ? new RetryAttempt() : null;
        if (attempt is not null)
        {
            context.Features.Set(attempt);
        }

        List<DestinationState>? tried = null;
        for (var n = 1; ; n++)
        {
            if (attempt is not null)
            {
                attempt.MayRetryResponse = n < maxAttempts && budget.HasRoom(policy);
                attempt.Suppressed = false;
            }

            await next(context);

            var error = context.Features.Get<IForwarderErrorFeature>();
            var reason = RetryReason(error, attempt, replayable);
            if (reason is null || context.Response.HasStarted)
            {
                return;
            }

            var backendName = backend?.Name ?? cluster.ClusterId;
            if (n >= maxAttempts || !budget.TryRetry(policy))
            {
                if (n < maxAttempts)
                {
                    metrics.RetryBudgetExhausted(backendName);
                }

                await FinishAsync(context, backendName, error, attempt, n);
                return;
            }

            tried ??= [];
            tried.Add(feature.ProxiedDestination ?? feature.AvailableDestinations[0]);
            var remaining = new List<DestinationState>(candidates.Count);
            foreach (var candidate in candidates)
            {
                if (!tried.Contains(candidate))
                {
                    remaining.Add(candidate);
                }
            }

            if (remaining.Count == 0)
            {
                await FinishAsync(context, backendName, error, attempt, n);
                return;
            }

            metrics.Retried(backendName, reason);
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            feature.AvailableDestinations = remaining;
        }
    }

    private static string? RetryReason(IForwarderErrorFeature? error, RetryAttempt? attempt, bool replayable)
    {
        if (error is null)
        {
            return attempt is { Suppressed: true } ? "status" : null;
        }

        if (error.Error == ForwarderError.Request)
        {
            return RequestRetryability.IsConnectFailure(error.Exception) ? "connect" : replayable ? "reset" : null;
        }

        return null;
    }

    /// <summary>No retry left: make the failure say what happened instead of an empty 502 or a held-back body.</summary>
    private static Task FinishAsync(HttpContext context, string backend, IForwarderErrorFeature? error, RetryAttempt? attempt, int attempts)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        if (error is not null && RequestRetryability.IsConnectFailure(error.Exception))
        {
            return Write(context, StatusCodes.Status503ServiceUnavailable, $"503 Service Unavailable: no endpoint of {backend} accepted the connection ({attempts} tried)\n");
        }

        if (attempt is { Suppressed: true })
        {
            // The pod's 502/503 body was held back for a retry that could not happen.
            var status = context.Response.StatusCode;
            return Write(context, status, $"{status} {(status == 502 ? "Bad Gateway" : "Service Unavailable")}: {backend} answered {status} on every attempt ({attempts} tried)\n");
        }

        return Task.CompletedTask;
    }

    private static Task Write(HttpContext context, int status, string body)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(body);
    }
}
