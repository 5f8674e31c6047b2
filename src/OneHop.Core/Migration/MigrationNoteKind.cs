namespace OneHop.Core.Migration;

/// <summary>What a note of the Gateway API migration says about an Ingress.</summary>
internal enum MigrationNoteKind
{
    /// <summary>An annotation (or part of one) with no Gateway API equivalent: the written objects do less.</summary>
    NotMapped,

    /// <summary>Mapped, with a difference in meaning the operator should know.</summary>
    Difference,

    /// <summary>The Ingress (or a field of it) is wrong and was not converted; the others were.</summary>
    Problem,
}
