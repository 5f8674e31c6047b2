using Microsoft.AspNetCore.Http;
using OneHop.Core.Concurrency;

namespace OneHop.Core.Proxy.Http;

/// <summary>nginx's <c>$req_id</c>: the client's <c>X-Request-ID</c>, else a new random id of 32 hex digits (<c>$request_id</c>).</summary>
internal static class RequestIds
{
    public const string Header = "X-Request-ID";

    /// <summary>Gives the request an id where it came without one.</summary>
    public static void Ensure(IHeaderDictionary headers, IRandomSource random)
    {
        if (string.IsNullOrEmpty(headers[Header]))
        {
            headers[Header] = New(random);
        }
    }

    private static string New(IRandomSource random) => string.Create(32, random, static (span, random) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = "0123456789abcdef"[random.Next(16)];
        }
    });
}
