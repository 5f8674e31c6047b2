using KubeApiTestServer.Storage;

namespace KubeApiTestServer.Watching;

/// <summary>
/// How a watch begins, taken atomically with its registration: the current objects (for a watch without an RV)
/// or the retained changes after the requested RV, and the RV the start reflects.
/// </summary>
internal sealed record WatchStart(
    WatchSubscription Subscription,
    IReadOnlyList<StoredObject> InitialObjects,
    IReadOnlyList<ChangeEvent> Backlog,
    long ResourceVersion);
