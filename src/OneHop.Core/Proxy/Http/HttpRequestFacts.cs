using Microsoft.AspNetCore.Http;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>The request as route conditions read it; a struct, so matching a route without conditions costs nothing.</summary>
internal readonly struct HttpRequestFacts(HttpRequest request) : IRequestFacts
{
    public string Method => request.Method;

    public string? Header(string name)
    {
        var values = request.Headers[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => string.Join(", ", values.ToArray()),
        };
    }

    /// <remarks>
    /// Names match exactly, as Gateway API's query matches ask: <c>request.Query</c> ignores case and merges
    /// <c>animal</c> with <c>ANIMAL</c>, so the query string is read here. Only routes with query matches call this.
    /// </remarks>
    public string? Query(string name)
    {
        var query = request.QueryString.HasValue ? request.QueryString.Value.AsSpan(1) : [];
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals];
            if (key.SequenceEqual(name) || (key.ContainsAny('%', '+') && Decode(key) == name))
            {
                return equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            }
        }

        return null;
    }

    private static string Decode(ReadOnlySpan<char> component) => Uri.UnescapeDataString(component.ToString().Replace('+', ' '));
}
