namespace OneHop.Core.Routing;

/// <summary>
/// A copy of each request (or of <paramref name="Numerator"/> in <paramref name="Denominator"/>) sent to a pod of a
/// backend besides the one that answers, its response discarded (Gateway API's RequestMirror filter, ingress-nginx's
/// <c>mirror-target</c>).
/// </summary>
/// <param name="BackendId">The mirror's <see cref="Backend.Id"/>.</param>
internal sealed record RouteMirror(string BackendId, int Numerator = 100, int Denominator = 100)
{
    private readonly RequestTemplate? _target;

    /// <summary>
    /// The copy's path and query with nginx variables (<c>/$request_uri</c>, from ingress-nginx's <c>mirror-target</c>);
    /// null sends the request's own target as forwarded (Gateway API).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Target
    {
        get => _target?.Text;
        init => _target = RequestTemplate.ParseChecked(value);
    }

    /// <summary><see cref="Target"/> read once, filled in per request.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RequestTemplate? TargetTemplate => _target;

    /// <summary>The copy's Host header; null keeps the request's.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Host { get; init; }

    /// <summary>A request with a body is copied without it (ingress-nginx's <c>mirror-request-body: off</c>); false copies only bodiless requests.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool WithoutBody { get; init; }

    public bool Equals(RouteMirror? other) =>
        other is not null && BackendId == other.BackendId && Numerator == other.Numerator && Denominator == other.Denominator
        && Target == other.Target && Host == other.Host && WithoutBody == other.WithoutBody;

    public override int GetHashCode() => HashCode.Combine(BackendId, Numerator, Denominator, Target);
}
