namespace OneHop.Core.State;

/// <summary>Kind plus key: names one object in diagnostics and in the admin API.</summary>
internal sealed record ObjectRef(string Kind, string Namespace, string Name) : IComparable<ObjectRef>
{
    public ObjectRef(string kind, ObjectKey key)
        : this(kind, key.Namespace, key.Name)
    {
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public ObjectKey Key => new(Namespace, Name);

    public int CompareTo(ObjectRef? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byKind = string.CompareOrdinal(Kind, other.Kind);
        return byKind != 0 ? byKind : Key.CompareTo(other.Key);
    }

    public override string ToString() => $"{Kind} {Key}";
}
