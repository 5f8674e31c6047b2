using System.Collections.Immutable;

namespace OneHop.Core.Sources.Config;

/// <summary>A group of servers outside Kubernetes (an Exchange farm, IIS, a static site), balanced like pods.</summary>
internal sealed record UpstreamConfig(
    string Name,
    string Scheme,
    string? LoadBalancing,
    ImmutableArray<UpstreamEndpointConfig> Endpoints,
    bool TlsInsecureSkipVerify = false)
{
    public bool Equals(UpstreamConfig? other) =>
        other is not null && Name == other.Name && Scheme == other.Scheme && LoadBalancing == other.LoadBalancing
        && TlsInsecureSkipVerify == other.TlsInsecureSkipVerify && Endpoints.SequenceEqual(other.Endpoints);

    public override int GetHashCode() => HashCode.Combine(Name, Endpoints.Length);
}
