using OneHop.Core.State;

namespace OneHop.Core.Migration;

/// <summary>One thing the operator must know about one Ingress's conversion: where (object, field) and why.</summary>
internal sealed record MigrationNote(ObjectKey Ingress, ObjectOrigin Origin, string Field, MigrationNoteKind Kind, string Message)
{
    /// <summary>The kind of the object noted: an Ingress, or the controller's ConfigMap.</summary>
    public string Object { get; init; } = "Ingress";

    /// <summary>The line written as a YAML comment on the route and to stderr.</summary>
    public override string ToString()
    {
        var what = Kind switch
        {
            MigrationNoteKind.NotMapped => "not mapped",
            MigrationNoteKind.Difference => "difference",
            _ => "not converted",
        };
        return $"{Object} {Ingress.Namespace}/{Ingress.Name}: {Field}: {what}: {Message}";
    }
}
