namespace OneHop.Core.Control.Events;

/// <summary>One Event OneHop wants on an object: its type (Warning or Normal), reason and note.</summary>
internal sealed record EventFinding(EventSubject Subject, string Type, string Reason, string Note)
{
    public const string Warning = "Warning";
    public const string Normal = "Normal";

    /// <summary>What makes two findings the same Event (a series): the object, type, reason and note, not the object's version.</summary>
    public (string Kind, string Namespace, string Name, string Uid, string Type, string Reason, string Note) Key =>
        (Subject.Kind, Subject.Namespace, Subject.Name, Subject.Uid, Type, Reason, Note);
}
