using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OneHop.Core.Configuration.Compression;

namespace OneHop.Core.Proxy.Http.Compression;

/// <summary>
/// Which of the codings that may carry an answer the client's <c>Accept-Encoding</c> takes (RFC 9110 §12.5.3): the
/// highest weight, the policy's order among equal ones; a coding the client does not name is taken only through
/// <c>*</c>; nothing when the client weighs <c>identity</c> above every coding offered, or names none.
/// </summary>
internal static class CodingChoice
{
    /// <summary>The coding to use, or null to send the answer as it is.</summary>
    /// <param name="response">The answer: only codings that may carry it (<see cref="CompressionRules.Carries"/>) are chosen.</param>
    /// <param name="userAgent">The client's User-Agent, for the codings it is refused (gzip_disable).</param>
    public static CompressionCoding? Choose(StringValues acceptEncoding, CompressionPolicy policy, Microsoft.AspNetCore.Http.HttpResponse response, string? userAgent)
    {
        if (!StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var accepted) || accepted.Count == 0)
        {
            return null;
        }

        CompressionCoding? best = null;
        var bestWeight = 0.0;
        foreach (var coding in policy.Codings)
        {
            var weight = WeightOf(accepted, coding.Name);
            if (weight > bestWeight && CompressionRules.Carries(coding, response) && coding.DisabledFor?.Matches(userAgent) != true)
            {
                (best, bestWeight) = (coding, weight);
            }
        }

        // identity is acceptable unless refused; a client that weighs it (named, else through *) above every coding
        // offered gets the answer as it is.
        return best is not null && (Explicit(accepted, "identity") ?? Explicit(accepted, "*")) is { } identity && identity > bestWeight ? null : best;
    }

    private static double WeightOf(IList<StringWithQualityHeaderValue> accepted, string name) =>
        Explicit(accepted, name) ?? Explicit(accepted, "*") ?? 0;

    private static double? Explicit(IList<StringWithQualityHeaderValue> accepted, string name)
    {
        foreach (var value in accepted)
        {
            if (StringSegment.Equals(value.Value, name, StringComparison.OrdinalIgnoreCase))
            {
                return value.Quality ?? 1;
            }
        }

        return null;
    }
}
