using System.Collections.Immutable;

namespace OneHop.Core.Routing;

/// <summary>
/// A route's own retry (Gateway API's HTTPRoute <c>retry</c>): besides connection errors and attempts past
/// <c>timeouts.backendRequest</c>, the pod answers of <see cref="Codes"/> are retried, up to <see cref="Attempts"/>
/// times after the first attempt, waiting <see cref="Backoff"/> before the first retry and twice as long before each
/// next one (at most ten times as long).
/// </summary>
/// <param name="Attempts">Retries after the first attempt; null for the backend's retry policy's.</param>
/// <param name="Codes">The pod statuses retried (500–599), sorted.</param>
/// <param name="Backoff">The wait before the first retry.</param>
internal sealed record RouteRetry(int? Attempts, ImmutableArray<int> Codes, TimeSpan Backoff)
{
    /// <summary>The wait when the route gives none: Envoy's base interval, so a pod still busy with a timed-out attempt gets a moment.</summary>
    public static readonly TimeSpan DefaultBackoff = TimeSpan.FromMilliseconds(25);

    /// <summary>True when a pod's answer with <paramref name="status"/> is retried.</summary>
    public bool Retries(int status) => Codes.Contains(status);

    /// <summary>The wait before retry <paramref name="retry"/> (1 for the first): exponential, capped, without jitter so tests can count on it.</summary>
    public TimeSpan BackoffBefore(int retry) => Backoff * Math.Min(10, 1 << Math.Min(retry - 1, 4));

    public bool Equals(RouteRetry? other) =>
        other is not null && Attempts == other.Attempts && Backoff == other.Backoff && Codes.SequenceEqual(other.Codes);

    public override int GetHashCode() => HashCode.Combine(Attempts, Backoff, Codes.Length);
}
