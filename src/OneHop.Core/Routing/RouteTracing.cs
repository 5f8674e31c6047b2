namespace OneHop.Core.Routing;

/// <summary>
/// A route's own tracing (ingress-nginx's <c>enable-opentelemetry</c> and <c>opentelemetry-trust-incoming-span</c>), in
/// force only while OneHop traces at all (<c>--otlp-endpoint</c>); a route without one is traced and trusts the client's
/// <c>traceparent</c>.
/// </summary>
/// <param name="Enabled">False: the route's requests get no span and pass the client's trace headers on as sent.</param>
/// <param name="TrustIncomingSpan">False: the client's <c>traceparent</c> and <c>tracestate</c> are neither the parent of
/// OneHop's span nor passed on to the pod; the request is traced as one that came without (the sample ratio draws it).</param>
internal sealed record RouteTracing(bool Enabled, bool TrustIncomingSpan)
{
    /// <summary>What a route without its own tracing gets.</summary>
    public static readonly RouteTracing Default = new(true, true);
}
