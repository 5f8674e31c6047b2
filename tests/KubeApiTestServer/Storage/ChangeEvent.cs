using k8s;
using KubeApiTestServer.Resources;

namespace KubeApiTestServer.Storage;

/// <summary>
/// One committed write. <see cref="Object"/> is the new state; for a delete it is the last state carrying the
/// deletion RV. <see cref="Previous"/> is the state before the write (null for a create).
/// </summary>
internal sealed record ChangeEvent(
    ResourceKind Kind, WatchEventType Type, long ResourceVersion, StoredObject Object, StoredObject? Previous);
