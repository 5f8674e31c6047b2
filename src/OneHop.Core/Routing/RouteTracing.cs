namespace OneHop.Core.Routing;

/// <summary>
/// A route's own tracing (ingress-nginx's <c>enable-opentelemetry</c>, <c>opentelemetry-trust-incoming-span</c> and
/// <c>opentelemetry-operation-name</c>), in force only while OneHop traces at all (<c>--otlp-endpoint</c>); a route
/// without one is traced, trusts the client's <c>traceparent</c> and names its span <c>METHOD PATH</c>.
/// </summary>
/// <param name="Enabled">False: the route's requests get no span and pass the client's trace headers on as sent.</param>
/// <param name="TrustIncomingSpan">False: the client's <c>traceparent</c> and <c>tracestate</c> are neither the parent of
/// OneHop's span nor passed on to the pod; the request is traced as one that came without (the sample ratio draws it).</param>
internal sealed record RouteTracing(bool Enabled, bool TrustIncomingSpan)
{
    /// <summary>What a route without its own tracing gets.</summary>
    public static readonly RouteTracing Default = new(true, true);

    private readonly RequestTemplate? _operationName;

    /// <summary>The request span's name, with request variables (<c>HTTP $request_method $uri</c>); null for <c>METHOD PATH</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? OperationName
    {
        get => _operationName?.Text;
        init => _operationName = RequestTemplate.ParseChecked(value);
    }

    /// <summary><see cref="OperationName"/> read once, filled in per traced request.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RequestTemplate? OperationNameTemplate => _operationName;

    /// <summary>True when the request's span is started otherwise than by default, so its route is needed before it starts.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool ChangesSpanStart => !Enabled || !TrustIncomingSpan;

    public bool Equals(RouteTracing? other) =>
        other is not null && Enabled == other.Enabled && TrustIncomingSpan == other.TrustIncomingSpan && OperationName == other.OperationName;

    public override int GetHashCode() => HashCode.Combine(Enabled, TrustIncomingSpan, OperationName);
}
