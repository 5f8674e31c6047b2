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

    public string? Query(string name)
    {
        var values = request.Query[name];
        return values.Count == 0 ? null : values[0];
    }
}
