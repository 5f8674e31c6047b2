using System.Collections.Immutable;

namespace OneHop.Core.Routing;

/// <summary>
/// Reuse of the authentication service's answers (ingress-nginx's auth-cache-key and auth-cache-duration): requests of
/// the route whose <see cref="Key"/> reads the same get the same answer, without a subrequest, for as long as the
/// first rule of <see cref="Valid"/> that covers its status says.
/// </summary>
/// <param name="Key">The lookup key with its nginx variables (<c>$remote_user$http_authorization</c>), read per request.</param>
/// <param name="Valid">The statuses kept and for how long, first match wins.</param>
internal sealed record RouteAuthCache(string Key, ImmutableArray<AuthCacheValidity> Valid)
{
    public bool Equals(RouteAuthCache? other) => other is not null && Key == other.Key && Valid.SequenceEqual(other.Valid);

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
}
