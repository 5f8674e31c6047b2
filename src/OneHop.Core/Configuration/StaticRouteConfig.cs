using System.Collections.Immutable;

namespace OneHop.Core.Configuration;

/// <summary>A host and path rule from the config file, matched exactly like an Ingress rule.</summary>
/// <param name="Timeout">Longest a request on this route may take in all (retries included) before a 504.</param>
/// <param name="Compression">
/// The route's own compression: false for none, true for the config file's <c>compression</c> section (or OneHop's
/// defaults without one); null to follow the section.
/// </param>
internal sealed record StaticRouteConfig(string Name, ImmutableArray<string> Hosts, string Path, PathMatchType PathType, string Upstream, TimeSpan? Timeout = null, bool? Compression = null)
{
    public bool Equals(StaticRouteConfig? other) =>
        other is not null && Name == other.Name && Path == other.Path && PathType == other.PathType
        && Upstream == other.Upstream && Timeout == other.Timeout && Compression == other.Compression && Hosts.SequenceEqual(other.Hosts);

    public override int GetHashCode() => HashCode.Combine(Name, Path, Upstream);
}
