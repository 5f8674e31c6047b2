using OneHop.Core.Routing;

namespace OneHop.Core.Proxy;

/// <summary>
/// A snapshot consumer that serves traffic: the HTTP proxy, TCP and UDP, the Gateway ports. Readiness waits until every
/// data plane serves the first snapshot.
/// </summary>
internal interface IDataPlane : ISnapshotConsumer
{
    /// <summary>The newest snapshot version the data plane is serving.</summary>
    long AppliedVersion { get; }

    /// <summary>The last error applying a snapshot, cleared by the next successful apply.</summary>
    string? LastError { get; }

    /// <summary>What the data plane waits for before it serves the newest snapshot (for /readyz); null when nothing.</summary>
    string? Waiting => null;

    /// <summary>Raised with the version once a snapshot is serving traffic.</summary>
    event Action<long>? Applied;
}
