namespace OneHop.Core.State;

/// <summary>Namespace and name of a Kubernetes object; cluster-scoped objects have an empty namespace.</summary>
internal readonly record struct ObjectKey(string Namespace, string Name) : IComparable<ObjectKey>
{
    public int CompareTo(ObjectKey other)
    {
        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
