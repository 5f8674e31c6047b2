using System.Collections.Immutable;

namespace OneHop.Core.Migration;

/// <summary>
/// The Gateway API equivalent of a set of ingress-nginx Ingresses: the objects in the order they are written
/// (Gateways, ReferenceGrants, routes, BackendTLSPolicies) and every note, also written as comments on the objects.
/// </summary>
internal sealed record GatewayMigration(ImmutableArray<MigratedObject> Objects, ImmutableArray<MigrationNote> Notes)
{
    /// <summary>Something did not map or an Ingress was not converted: <c>migrate</c> exits 1, as it does for an unsupported annotation.</summary>
    public bool Incomplete => Notes.Any(n => n.Kind != MigrationNoteKind.Difference);
}
