using OneHop.Core.State;

namespace OneHop.Core.Tests.Support.Fuzz;

/// <summary>A golden case as fuzz seed: its objects as JSON with their kinds, and its config file if it has one.</summary>
internal sealed record ClusterSeed(string Name, IReadOnlyList<(KubeKind Kind, string Json)> Objects, string? Config)
{
    public override string ToString() => Name;
}
