using System.Text.RegularExpressions;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// The CORS filter → <see cref="RouteCors"/>, the engine ingress-nginx's CORS annotations use too, checked as the
/// API server's validation would (a manifest directory has none): origins of the spec's pattern, <c>*</c> only alone in
/// each list, method and header names as tokens, maxAge of at least 1 (5 when unset).
/// </summary>
internal static partial class GatewayCors
{
    private const int DefaultMaxAge = 5;

    public static RouteCors Compile(HttpCorsFilter cors, string field, List<string> problems)
    {
        var origins = List(cors.AllowOrigins, $"{field}.allowOrigins", problems, o => Origin().IsMatch(o), "an origin (scheme://host[:port], the host maybe *.domain or *)");
        var methods = List(cors.AllowMethods, $"{field}.allowMethods", problems, IsToken, "an HTTP method");
        var headers = List(cors.AllowHeaders, $"{field}.allowHeaders", problems, IsToken, "a header name");
        var expose = List(cors.ExposeHeaders, $"{field}.exposeHeaders", problems, IsToken, "a header name");
        if (cors.MaxAge is < 1)
        {
            problems.Add($"{field}.maxAge: {cors.MaxAge} is less than 1 second");
        }

        return new RouteCors([.. origins], string.Join(", ", methods), string.Join(", ", headers), expose.Count == 0 ? null : string.Join(", ", expose), cors.AllowCredentials == true, cors.MaxAge ?? DefaultMaxAge);
    }

    /// <summary>A list's values that are <c>*</c> alone or each <paramref name="valid"/>; the problems of the others.</summary>
    private static List<string> List(IList<string>? values, string field, List<string> problems, Func<string, bool> valid, string what)
    {
        var list = (values ?? []).Where(v => v is not null).ToList();
        if (list.Contains("*") && list.Count > 1)
        {
            problems.Add($"{field}: * cannot be listed beside other values");
        }

        foreach (var value in list.Where(v => v != "*" && !valid(v)))
        {
            problems.Add($"{field}: '{value}' is not {what}");
        }

        return list;
    }

    private static bool IsToken(string value) => value.Length > 0 && value.All(c => c > ' ' && c < 0x7f && !"\"(),/:;<=>?@[\\]{}".Contains(c));

    /// <summary>The spec's CORSOrigin pattern, <c>*</c> aside.</summary>
    [GeneratedRegex(@"^https?://((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:[0-9]{1,5})?$")]
    private static partial Regex Origin();
}
