using System.Collections.Immutable;
using OneHop.Core.Routing;
using OneHop.Core.Routing.L4;

namespace OneHop.Core.Admin;

/// <summary>
/// <c>GET /api/routes</c>: the snapshot the control plane published last; <paramref name="L4"/> holds the tcp, udp and
/// tls-passthrough listeners with their routes and the pods of their backends.
/// </summary>
internal sealed record RoutesDocument(long Version, long AppliedVersion, ImmutableArray<Route> Routes, Route? DefaultRoute, ImmutableArray<Backend> Backends, L4Snapshot? L4 = null);
