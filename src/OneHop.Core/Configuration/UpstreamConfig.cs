using System.Collections.Immutable;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Configuration;

/// <summary>A group of servers outside Kubernetes (an Exchange farm, IIS, a static site), balanced like pods.</summary>
internal sealed record UpstreamConfig(
    string Name,
    string Scheme,
    BackendPolicy Policy,
    ImmutableArray<UpstreamEndpointConfig> Endpoints,
    bool TlsInsecureSkipVerify = false)
{
    /// <summary>PEM certificates of the CAs that sign the servers' certificates (<c>tlsCaFile</c>), trusted instead of the system's.</summary>
    public string? TlsCaPem { get; init; }

    /// <summary>The absolute path <see cref="TlsCaPem"/> was read from; the config source watches it.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>The name sent as SNI and checked against the servers' certificates (<c>tlsServerName</c>); null: the host asked for.</summary>
    public string? TlsServerName { get; init; }

    public bool Equals(UpstreamConfig? other) =>
        other is not null && Name == other.Name && Scheme == other.Scheme && Policy == other.Policy
        && TlsInsecureSkipVerify == other.TlsInsecureSkipVerify && TlsCaPem == other.TlsCaPem && TlsServerName == other.TlsServerName && Endpoints.SequenceEqual(other.Endpoints);

    public override int GetHashCode() => HashCode.Combine(Name, Endpoints.Length);
}
