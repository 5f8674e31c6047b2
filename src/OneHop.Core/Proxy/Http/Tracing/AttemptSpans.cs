using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Health;
using OneHop.Core.Routing;
using OneHop.Core.Telemetry.Tracing;

namespace OneHop.Core.Proxy.Http.Tracing;

/// <summary>What the request path adds to the request's span (its route) and the span of each attempt on a pod.</summary>
internal static class AttemptSpans
{
    /// <summary>
    /// Names the request's span after its route (<c>GET /api</c>, or the route's own name filled in for the request),
    /// with where the route came from.
    /// </summary>
    public static void Routed(HttpContext context, Route route, string backend)
    {
        if (Activity.Current is { IsAllDataRequested: true } span && ReferenceEquals(span.Source, ProxyActivitySource.Source))
        {
            span.DisplayName = route.Tracing?.OperationNameTemplate is { } name
                ? name.Expand(RequestVariables.Value, context)
                : $"{span.GetTagItem("http.request.method")} {route.Path}";
            span.SetTag("http.route", route.Path);
            span.SetTag("onehop.route", route.Source);
            span.SetTag("onehop.backend", backend);
        }
    }

    /// <summary>
    /// Starts an attempt's client span under the request's recorded span; it is <see cref="Activity.Current"/> while the
    /// forwarder runs, so its id goes to the pod. An unsampled request gets none: its unrecorded server span already
    /// carries the trace id to the pod, and a request the ratio left out has no span to be the child of (the SDK's
    /// root sampler keeps every root: <see cref="Telemetry.Tracing.ProxyTracing"/>).
    /// </summary>
    public static Activity? Start(HttpContext context, Destination destination, string backend, int attempt)
    {
        if (Activity.Current is not { IsAllDataRequested: true } request || !ReferenceEquals(request.Source, ProxyActivitySource.Source))
        {
            return null;
        }

        var span = ProxyActivitySource.Source.StartActivity(context.Request.Method, ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            var endpoint = destination.Endpoint;
            span.SetTag("http.request.method", context.Request.Method);
            span.SetTag("server.address", endpoint.Address);
            span.SetTag("server.port", endpoint.Port);
            span.SetTag("k8s.pod.name", endpoint.Pod);
            span.SetTag("k8s.node.name", endpoint.Node);
            span.SetTag("cloud.availability_zone", endpoint.Zone);
            span.SetTag("onehop.backend", backend);
            if (attempt > 1)
            {
                span.SetTag("http.request.resend_count", attempt - 1);
            }
        }

        return span;
    }

    public static void End(Activity span, HttpContext context, AttemptOutcome outcome)
    {
        if (span.IsAllDataRequested)
        {
            if (outcome is AttemptOutcome.Success or AttemptOutcome.PodError)
            {
                span.SetTag("http.response.status_code", context.Response.StatusCode);
            }

            if (outcome != AttemptOutcome.Success)
            {
                span.SetTag("error.type", outcome.ToString());
                span.SetStatus(ActivityStatusCode.Error);
            }
        }

        span.Dispose();
    }
}
