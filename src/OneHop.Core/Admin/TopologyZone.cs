using System.Collections.Immutable;

namespace OneHop.Core.Admin;

/// <summary>The pods of one Service in one zone (null: unknown), by node; <paramref name="Local"/> when it is this replica's zone.</summary>
internal sealed record TopologyZone(string? Name, bool Local, ImmutableArray<TopologyNode> Nodes);
