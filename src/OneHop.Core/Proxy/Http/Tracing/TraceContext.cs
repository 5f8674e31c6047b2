using System.Diagnostics;
using OneHop.Core.Telemetry.Tracing;

namespace OneHop.Core.Proxy.Http.Tracing;

/// <summary>
/// W3C Trace Context for the pods: an attempt's span goes to its pod as <c>traceparent</c> (and the client's
/// <c>tracestate</c>), replacing the client's, so the pod's spans are children of OneHop's attempt.
/// </summary>
internal static class TraceContext
{
    public const string Parent = "traceparent";
    public const string State = "tracestate";

    /// <summary>The attempt span the forwarder runs under, if OneHop is tracing this request.</summary>
    public static Activity? Attempt => Activity.Current is { } activity && ReferenceEquals(activity.Source, ProxyActivitySource.Source) ? activity : null;

    /// <summary>True for the client's trace headers while OneHop writes its own (cheap for every other name: a length test).</summary>
    public static bool Replaces(string headerName) =>
        headerName.Length is 10 or 11
        && (headerName.Equals(Parent, StringComparison.OrdinalIgnoreCase) || headerName.Equals(State, StringComparison.OrdinalIgnoreCase))
        && Attempt is not null;
}
