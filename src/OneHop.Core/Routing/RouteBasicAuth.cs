using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OneHop.Core.Routing;

/// <summary>
/// Basic authentication on a route (ingress-nginx's <c>auth-type: basic</c>): a request without a user and password of
/// <see cref="Users"/> is answered 401 with <c>WWW-Authenticate: Basic realm="..."</c>. With a <see cref="Problem"/> (the
/// Secret is missing or unusable) every request is answered 503, as nginx denies such a location.
/// </summary>
/// <param name="Secret">The Secret the users come from, <c>namespace/name</c>.</param>
/// <param name="Users">User → password hash in a format of <see cref="Auth.PasswordHashes"/>; never shown.</param>
internal sealed record RouteBasicAuth(string Realm, string Secret, [property: JsonIgnore] ImmutableDictionary<string, string> Users, string? Problem = null)
{
    /// <summary>How many users may pass, for /api/routes and golden files (the hashes are never shown).</summary>
    public int UserCount => Users.Count;

    public bool Equals(RouteBasicAuth? other) =>
        other is not null && Realm == other.Realm && Secret == other.Secret && Problem == other.Problem
        && Users.Count == other.Users.Count && Users.All(u => other.Users.TryGetValue(u.Key, out var hash) && hash == u.Value);

    public override int GetHashCode() => HashCode.Combine(Realm, Secret, Users.Count);
}
