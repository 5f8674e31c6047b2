using System.Collections.Immutable;

namespace OneHop.Core.Admin;

/// <summary>The pods of one Service on one node (null: unknown, e.g. a static upstream).</summary>
internal sealed record TopologyNode(string? Name, ImmutableArray<TopologyPod> Pods);
