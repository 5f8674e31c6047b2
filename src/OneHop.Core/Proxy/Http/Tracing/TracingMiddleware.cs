using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Routing;
using OneHop.Core.Telemetry.Tracing;

namespace OneHop.Core.Proxy.Http.Tracing;

/// <summary>
/// First in the pipeline when tracing is on: a server span per client request, the child of the client's
/// <c>traceparent</c> when it sent one, with the OpenTelemetry HTTP attributes; the request path adds the route
/// (<see cref="AttemptSpans"/>). Unsampled requests get no span and cost no allocation: one under a client's unsampled
/// parent (<see cref="UnsampledParent"/>) passes its <c>traceparent</c> and <c>tracestate</c> on to the pod as sent, so the
/// trace goes on, unsampled; one without a parent that the ratio does not sample (<see cref="HttpTracing.SamplesRoot"/>)
/// passes no traceparent on. Where some route has its own tracing (<see cref="RouteTracing"/>, ingress-nginx's
/// annotations), the request's route is looked up first, which costs a second match only then.
/// </summary>
internal sealed class TracingMiddleware(RequestDelegate next, HttpTracing tracing, HttpDataPlane dataPlane)
{
    /// <remarks>Not async itself: an unsampled request passes through without a frame of this method's.</remarks>
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var headers = request.Headers;
        var table = dataPlane.Routing.Table;
        if (table.HasRouteTracing && TracingOf(table, context) is { ChangesSpanStart: true } own)
        {
            if (!own.Enabled)
            {
                return next(context);
            }

            // An untrusted client's trace goes nowhere: not the parent of OneHop's span, not on to the pod.
            headers.Remove(TraceContext.Parent);
            headers.Remove(TraceContext.State);
            return tracing.SamplesRoot() ? TraceAsync(context, default) : next(context);
        }

        var traceParent = headers.TraceParent;
        if (traceParent.Count == 1 && UnsampledParent.Is(traceParent[0]))
        {
            return next(context);
        }

        ActivityContext.TryParse(traceParent.ToString(), headers.TraceState.ToString(), isRemote: true, out var parent);
        return parent == default && !tracing.SamplesRoot() ? next(context) : TraceAsync(context, parent);
    }

    /// <summary>The tracing of the route the request will take (the proxy matches it again); the default's when none matches.</summary>
    private static RouteTracing? TracingOf(RouteTable table, HttpContext context)
    {
        var request = context.Request;
        var index = table.MatchIndex(request.Host.Value, request.Path.Value, context.Connection.LocalPort, new HttpRequestFacts(request), context.Connection.LocalIpAddress);
        return index == RouteTable.NoMatch ? null : table.Routes[index].Tracing;
    }

    private async Task TraceAsync(HttpContext context, ActivityContext parent)
    {
        var request = context.Request;
        var headers = request.Headers;
        if (parent == default)
        {
            // A root: not the child of ASP.NET Core's own request activity where there is one (its hosting logger on,
            // which `onehop run` turns off): never exported, and itself the child of the client's traceparent, which an
            // untrusting route must not continue.
            Activity.Current = null;
        }

        using var span = ProxyActivitySource.Source.StartActivity(request.Method, ActivityKind.Server, parent);
        if (span is not { IsAllDataRequested: true })
        {
            await next(context);
            return;
        }

        span.SetTag("http.request.method", request.Method);
        span.SetTag("url.scheme", request.Scheme);
        span.SetTag("url.path", request.Path.Value);
        span.SetTag("server.address", request.Host.Host);
        span.SetTag("network.protocol.version", request.Protocol.StartsWith("HTTP/", StringComparison.Ordinal) ? request.Protocol[5..] : request.Protocol);
        span.SetTag("client.address", context.Connection.RemoteIpAddress?.ToString());
        span.SetTag("user_agent.original", headers.UserAgent.ToString());
        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            span.SetTag("error.type", ex.GetType().FullName);
            span.SetStatus(ActivityStatusCode.Error);
            throw;
        }

        var status = context.Response.StatusCode;
        span.SetTag("http.response.status_code", status);
        if (context.Response.Headers[ErrorCodes.Header] is { Count: > 0 } code)
        {
            span.SetTag("onehop.error", code.ToString());
        }

        if (status >= 500)
        {
            span.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            span.SetStatus(ActivityStatusCode.Error);
        }
    }
}
