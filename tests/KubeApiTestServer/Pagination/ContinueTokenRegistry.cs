using System.Collections.Concurrent;

namespace KubeApiTestServer.Pagination;

/// <summary>
/// Remembers when each continue token was issued, so a token older than the configured TTL answers 410,
/// like a real token whose RV etcd has compacted (about five minutes).
/// </summary>
internal sealed class ContinueTokenRegistry(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _issued = new(StringComparer.Ordinal);

    public string Issue(ContinueToken token)
    {
        var text = token.Encode();
        _issued[text] = timeProvider.GetUtcNow();
        return text;
    }

    /// <summary>True when the token was issued more than <paramref name="ttl"/> ago.</summary>
    public bool IsExpired(string token, TimeSpan ttl) =>
        _issued.TryGetValue(token, out var issued) && timeProvider.GetUtcNow() - issued > ttl;
}
