using System.Collections.Concurrent;

namespace KubeApiTestServer;

/// <summary>A thread-safe set of kinds, for the per-kind knobs (forbidden, not installed).</summary>
internal sealed class KindSet
{
    private readonly ConcurrentDictionary<KubeKind, bool> _kinds = new();

    public bool Contains(KubeKind kind) => _kinds.ContainsKey(kind);

    public void Set(KubeKind kind, bool member)
    {
        if (member)
        {
            _kinds[kind] = true;
        }
        else
        {
            _kinds.TryRemove(kind, out _);
        }
    }
}
