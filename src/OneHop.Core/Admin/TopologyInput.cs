using System.Collections.Immutable;
using OneHop.Core.Control;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Tls;

namespace OneHop.Core.Admin;

/// <summary>Everything <see cref="TopologyBuilder"/> reads, taken at one moment so the document is one consistent picture.</summary>
/// <param name="Routing">What the HTTP data plane serves now, with each backend's runtime state.</param>
/// <param name="Zone">This replica's zone (<c>topology.zone</c>); null: none.</param>
/// <param name="L4">What the L4 data plane serves now (TCP, UDP, TLS passthrough); null: none.</param>
internal sealed record TopologyInput(
    HttpRouting Routing,
    ImmutableArray<TopologyListener> Listeners,
    string? Zone,
    ControlPlaneStatus Status,
    bool Ready,
    string? NotReadyReason,
    string? DataPlaneError,
    IReadOnlyList<ServedCertificate> Certificates,
    LeadershipDocument? Leadership,
    L4Routing? L4 = null);
