using OneHop.Core.Configuration;

namespace OneHop.Core.Routing;

/// <summary>One host + path rule and the backend it sends to.</summary>
/// <param name="Id">Stable, content-derived identity (same rule, same id across snapshots).</param>
/// <param name="Host">Empty for any host, <c>foo.com</c>, or <c>*.foo.com</c> (one label); lowercase.</param>
/// <param name="Path">The rule's path as written (ImplementationSpecific with no path becomes <c>/</c>).</param>
/// <param name="PathType">Exact or Prefix.</param>
/// <param name="BackendId">The <see cref="Backend.Id"/> it routes to.</param>
/// <param name="Source">Where the rule came from, e.g. <c>Ingress default/web spec.rules[0].http.paths[1]</c>.</param>
/// <param name="Timeout">Longest a request on this route may take in all, retries included; null for no limit.</param>
internal sealed record Route(
    string Id,
    string Host,
    string Path,
    PathMatchType PathType,
    string BackendId,
    string Source,
    TimeSpan? Timeout = null)
{
    /// <summary>
    /// Orders rules of one host by precedence: the longest path first, Exact before Prefix at equal length, then
    /// by id so the order never depends on input order.
    /// </summary>
    public static int ComparePrecedence(Route a, Route b)
    {
        var byLength = b.Path.Length.CompareTo(a.Path.Length);
        if (byLength != 0)
        {
            return byLength;
        }

        var byType = a.PathType.CompareTo(b.PathType);
        return byType != 0 ? byType : string.CompareOrdinal(a.Id, b.Id);
    }
}
