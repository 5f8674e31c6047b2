using System.Collections.Immutable;
using OneHop.Core.Sources.Kubernetes;

namespace OneHop.Core.Control;

/// <summary>One source as the admin API shows it; <see cref="Kinds"/> details each watched kind of the Kubernetes API.</summary>
internal sealed record SourceStatus(string Name, bool Synced, DateTimeOffset? LastSync, int Objects, int Errors)
{
    public ImmutableArray<InformerStatus> Kinds { get; init; } = [];
}
