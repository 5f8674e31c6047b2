namespace KubeApiTestServer.Storage;

/// <summary>Where an object lives: its namespace (empty when cluster-scoped) and name.</summary>
internal readonly record struct ObjectKey(string Namespace, string Name)
{
    /// <summary>The storage key, ordered like etcd keys: <c>namespace/name</c>, or the name alone when cluster-scoped.</summary>
    public string StorageKey => Namespace.Length == 0 ? Name : Namespace + "/" + Name;

    /// <summary>The key relative to a list's prefix, as continue tokens carry it.</summary>
    public string RelativeKey(bool allNamespaces) => allNamespaces ? StorageKey : Name;

    public override string ToString() => StorageKey;
}
