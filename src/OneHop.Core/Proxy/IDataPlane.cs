using OneHop.Core.Configuration;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy;

/// <summary>
/// What consumes routing snapshots: the HTTP proxy today, the TCP proxy later. Nothing upstream of it knows how
/// requests are forwarded.
/// </summary>
internal interface IDataPlane
{
    /// <summary>The newest snapshot version the data plane is serving.</summary>
    long AppliedVersion { get; }

    /// <summary>The last error applying a snapshot, cleared by the next successful apply.</summary>
    string? LastError { get; }

    /// <summary>Raised with the version once a snapshot is serving traffic.</summary>
    event Action<long>? Applied;

    /// <summary>
    /// Hands a snapshot over, with the effective config (defaults, topology); it serves traffic once
    /// <see cref="Applied"/> fires with its version.
    /// </summary>
    void Apply(RoutingSnapshot snapshot, long version, OneHopConfig config);
}
