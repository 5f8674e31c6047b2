namespace OneHop.Core.Sources.Kubernetes;

/// <summary>The state of one kind's list+watch, for /api/status and /metrics.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Namespace">The namespace watched; null for all (or a cluster-scoped kind).</param>
/// <param name="Synced">The first LIST completed (or the kind is forbidden and counts as empty).</param>
/// <param name="LastSync">The last time the cache was known current: a LIST, an event, a bookmark, a watch ending cleanly.</param>
/// <param name="Forbidden">The API server answered 403: OneHop's RBAC does not allow this kind.</param>
/// <param name="LastError">The last error, cleared by the next successful LIST or watch.</param>
/// <param name="Relists">How many times the cache was rebuilt from a LIST (first one included).</param>
internal sealed record InformerStatus(
    string Kind,
    string? Namespace,
    bool Synced,
    DateTimeOffset? LastSync,
    bool Forbidden,
    string? LastError,
    int Relists)
{
    /// <summary>The API server answered 404 to the LIST: the kind's CRD is not installed (Gateway API on many clusters).</summary>
    public bool NotInstalled { get; init; }
}
