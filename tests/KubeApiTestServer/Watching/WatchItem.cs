using KubeApiTestServer.Storage;

namespace KubeApiTestServer.Watching;

/// <summary>What a watch subscription receives, in RV order: a change, or a bookmark marker.</summary>
internal abstract record WatchItem;

/// <summary>A committed change for the subscription's kind and namespace.</summary>
internal sealed record ChangeItem(ChangeEvent Change) : WatchItem;

/// <summary>
/// A bookmark request, queued behind every change committed before it, so its RV never overtakes an event
/// the watcher has not yet been sent.
/// </summary>
internal sealed record BookmarkItem(long ResourceVersion) : WatchItem;
