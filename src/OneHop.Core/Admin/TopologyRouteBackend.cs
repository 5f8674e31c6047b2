namespace OneHop.Core.Admin;

/// <summary>A Service a route sends to, with its weight when the route splits traffic (null: all of it).</summary>
internal sealed record TopologyRouteBackend(string Id, int? Weight = null);
