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
/// <item>Connect failures (refused, unreachable or timed out while connecting): nothing was sent, any method is retried.</item>
/// <item>Resets, malformed answers and TLS failures before a response, and 502/503 answers: only idempotent requests
/// without a body.</item>
/// </list>
/// What the client caused is never retried. After the last attempt, a failure that left the response unstarted is
/// answered by <see cref="ErrorResponses"/>: 503 when no endpoint accepted the connection, 502 or 504 otherwise.
/// </summary>
internal sealed class RetryMiddleware(RequestDelegate next, SnapshotCatalog catalog, ProxyMetrics metrics, TimeProvider time)
{
    private readonly ConditionalWeakTable<ClusterState, RetryBudget> _budgets = [];

    public async Task InvokeAsync(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        var cluster = feature.Route.Cluster!;
        var backend = catalog.BackendOf(cluster);
        var backendName = backend?.Name ?? cluster.ClusterId;
        var policy = backend?.Policy.Retry ?? BackendPolicy.Default.Retry;
        var budget = _budgets.GetValue(cluster, _ => new RetryBudget(time));
        budget.RecordRequest();

        var candidates = feature.AvailableDestinations;
        var maxAttempts = Math.Max(1, Math.Min(policy.Attempts, candidates.Count));
        var replayable = RequestRetryability.IsIdempotent(context.Request.Method) && RequestRetryability.HasNoBody(context.Request);
        var attempt = replayable && maxAttempts > 1 ? new RetryAttempt() : null;
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

            var outcome = AttemptOutcomes.Of(context);
            var reason = RetryReason(outcome, attempt, replayable);
            if (reason is null || context.Response.HasStarted || n >= maxAttempts)
            {
                await FinishAsync(context, outcome, backendName, attempt, n);
                return;
            }

            if (!budget.TryRetry(policy))
            {
                metrics.RetryBudgetExhausted(backendName);
                await FinishAsync(context, outcome, backendName, attempt, n);
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
                await FinishAsync(context, outcome, backendName, attempt, n);
                return;
            }

            metrics.Retried(backendName, reason);
            context.Features.Set<IForwarderErrorFeature>(null);
            AttemptOutcomes.Forget(context);
            context.Response.Clear();
            feature.AvailableDestinations = remaining;
        }
    }

    private static string? RetryReason(AttemptOutcome outcome, RetryAttempt? attempt, bool replayable) => outcome switch
    {
        _ when outcome.IsConnectFailure() => "connect",
        AttemptOutcome.UpstreamReset or AttemptOutcome.BadUpstreamResponse or AttemptOutcome.TlsFailure when replayable => "reset",
        _ when attempt is { Suppressed: true } => "status",
        _ => null,
    };

    /// <summary>No retry left: make the failure say what happened instead of an empty 502 or a held-back body.</summary>
    private static Task FinishAsync(HttpContext context, AttemptOutcome outcome, string backend, RetryAttempt? attempt, int attempts)
    {
        if (!context.Response.HasStarted && attempt is { Suppressed: true })
        {
            // The pod's 502/503 body was held back for a retry that could not happen.
            var status = context.Response.StatusCode;
            return ErrorResponses.WriteAsync(context, status, ErrorCodes.UpstreamStatus, $"{backend} answered {status} on every attempt ({attempts} tried)");
        }

        return ErrorResponses.WriteAsync(context, outcome, backend, attempts);
    }
}
