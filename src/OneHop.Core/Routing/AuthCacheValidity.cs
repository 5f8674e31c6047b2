using System.Collections.Immutable;

namespace OneHop.Core.Routing;

/// <summary>
/// How long an answer of the authentication service with one of <see cref="Statuses"/> is reused (nginx's
/// <c>proxy_cache_valid</c>, which ingress-nginx's auth-cache-duration writes).
/// </summary>
/// <param name="Statuses">The statuses it covers; empty for any status (nginx's <c>any</c>).</param>
/// <param name="Duration">How long such an answer is reused.</param>
internal sealed record AuthCacheValidity(ImmutableArray<int> Statuses, TimeSpan Duration)
{
    public bool Covers(int status) => Statuses.IsEmpty || Statuses.Contains(status);

    public bool Equals(AuthCacheValidity? other) => other is not null && Duration == other.Duration && Statuses.SequenceEqual(other.Statuses);

    public override int GetHashCode() => HashCode.Combine(Duration, Statuses.Length);
}
