namespace KubeApiTestServer.Storage;

/// <summary>A consistent view of one kind's objects at <see cref="ResourceVersion"/>, ordered by storage key.</summary>
internal sealed record Snapshot(IReadOnlyList<StoredObject> Items, long ResourceVersion);
