using System.Collections.Immutable;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Routing;

/// <summary>
/// Where a route sends traffic: a Service port or a static upstream, with the endpoints that may take traffic.
/// </summary>
/// <param name="Id">Stable identity, e.g. <c>default/web:80</c> or <c>upstream/exchange</c>.</param>
/// <param name="Name">What operators call it, used in metrics and error bodies.</param>
/// <param name="Protocol">How OneHop talks to the endpoints: HTTP/1.1 or HTTP/2, clear or TLS.</param>
/// <param name="Policy">How endpoints are chosen and guarded: algorithm, health checks, outlier ejection, retries.</param>
/// <param name="Endpoints">Ready and terminating-but-serving endpoints, sorted; others are never listed.</param>
/// <param name="Problem">Why there are no endpoints when the reason is a configuration error (unknown service...).</param>
internal sealed record Backend(
    string Id,
    string Name,
    BackendKind Kind,
    BackendProtocol Protocol,
    BackendPolicy Policy,
    ImmutableArray<BackendEndpoint> Endpoints,
    string? Problem = null)
{
    /// <summary>How the endpoints' TLS is verified (https and h2 backends); null: not verified.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public BackendTls? Tls { get; init; }

    /// <summary>How the endpoints are reached: pod IPs, or the nodes' NodePorts; shown in /api/routes only when not pods.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public BackendReach Reach { get; init; }

    /// <summary>For <c>onehop.dev/reach: auto</c>, why the backend is in its mode (what the connect probes found).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ReachReason { get; init; }

    public bool Equals(Backend? other) =>
        ReferenceEquals(this, other) || other is not null && Id == other.Id && Name == other.Name && Kind == other.Kind && Protocol == other.Protocol
        && Policy == other.Policy && Problem == other.Problem
        && Tls == other.Tls && Reach == other.Reach && ReachReason == other.ReachReason && Endpoints.SequenceEqual(other.Endpoints);

    public override int GetHashCode() => HashCode.Combine(Id, Endpoints.Length);
}
