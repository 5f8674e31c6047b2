using System.Collections.Immutable;
using OneHop.Core.Routing;

namespace OneHop.Core.Admin;

/// <summary><c>GET /api/routes</c>: the snapshot the control plane published last.</summary>
internal sealed record RoutesDocument(long Version, long AppliedVersion, ImmutableArray<Route> Routes, Route? DefaultRoute, ImmutableArray<Backend> Backends);
