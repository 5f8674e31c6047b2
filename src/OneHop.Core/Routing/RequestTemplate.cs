using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;

namespace OneHop.Core.Routing;

/// <summary>
/// A value with nginx variables in it (<c>https://$host/oauth2/start?rd=$escaped_request_uri</c>), read once and filled
/// in per request. Only the variables of <see cref="RequestVariable"/> are known; any other is a problem the translator
/// reports, since nginx would fill it in and OneHop cannot. <c>$http_NAME</c>, <c>$cookie_NAME</c> and <c>$arg_NAME</c>
/// carry their NAME with them.
/// </summary>
internal sealed partial class RequestTemplate
{
    private static readonly Dictionary<string, RequestVariable> Names = new(StringComparer.Ordinal)
    {
        ["scheme"] = RequestVariable.Scheme,
        ["pass_access_scheme"] = RequestVariable.Scheme,
        ["host"] = RequestVariable.Host,
        ["http_host"] = RequestVariable.HttpHost,
        ["best_http_host"] = RequestVariable.HttpHost,
        ["request_uri"] = RequestVariable.RequestUri,
        ["escaped_request_uri"] = RequestVariable.EscapedRequestUri,
        ["uri"] = RequestVariable.Uri,
        ["remote_user"] = RequestVariable.RemoteUser,
        ["remote_addr"] = RequestVariable.RemoteAddress,
        ["request_method"] = RequestVariable.RequestMethod,
    };

    /// <summary>The variables whose name ends in what they name, after the fixed names (<c>$http_host</c> is the Host header as sent).</summary>
    private static readonly (string Prefix, RequestVariable Variable)[] Prefixes =
        [("http_", RequestVariable.Header), ("cookie_", RequestVariable.Cookie), ("arg_", RequestVariable.QueryArgument)];

    /// <summary>Literal text, or a variable (with the header, cookie or query parameter it names) when <c>Literal</c> is null.</summary>
    private readonly ImmutableArray<(string? Literal, RequestVariable Variable, string? Name)> _parts;

    private RequestTemplate(ImmutableArray<(string?, RequestVariable, string?)> parts, string text)
    {
        _parts = parts;
        Text = text;
    }

    public string Text { get; }

    /// <summary>True when the value has no variable: it is the same for every request.</summary>
    public bool IsLiteral => _parts.All(p => p.Literal is not null);

    /// <summary>The variables OneHop knows, as nginx spells them, for error messages.</summary>
    public static string KnownNames => string.Join(", ", Names.Keys.Select(n => "$" + n).Concat(Prefixes.Select(p => $"${p.Prefix}NAME")));

    /// <summary>Reads <paramref name="text"/>; null with <paramref name="problem"/> when it names a variable OneHop does not know.</summary>
    public static RequestTemplate? Parse(string text, out string? problem)
    {
        problem = null;
        var parts = ImmutableArray.CreateBuilder<(string?, RequestVariable, string?)>();
        var at = 0;
        foreach (Match match in Variable().Matches(text))
        {
            var name = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
            string? argument = null;
            if (!Names.TryGetValue(name, out var variable))
            {
                var prefix = Array.Find(Prefixes, p => name.Length > p.Prefix.Length && name.StartsWith(p.Prefix, StringComparison.Ordinal));
                if (prefix.Prefix is null)
                {
                    problem = $"${name} is not an nginx variable OneHop fills in (it knows {KnownNames})";
                    return null;
                }

                variable = prefix.Variable;
                argument = name[prefix.Prefix.Length..];

                // nginx's $http_x_api_key is the header X-Api-Key: the name is spelt out once here, not per request.
                argument = variable == RequestVariable.Header ? argument.Replace('_', '-') : argument;
            }

            if (match.Index > at)
            {
                parts.Add((text[at..match.Index], default, null));
            }

            parts.Add((null, variable, argument));
            at = match.Index + match.Length;
        }

        if (at < text.Length)
        {
            parts.Add((text[at..], default, null));
        }

        return new RequestTemplate(parts.ToImmutable(), text);
    }

    /// <summary>
    /// Reads a value the translator already checked (a route's template property); null for null. A variable OneHop
    /// does not know here is a bug in the caller, not bad input.
    /// </summary>
    public static RequestTemplate? ParseChecked(string? text) =>
        text is null ? null : Parse(text, out var problem) ?? throw new ArgumentException(problem, nameof(text));

    /// <summary>
    /// The value with every variable replaced by what <paramref name="value"/> says of the request (given the variable
    /// and, for <c>$cookie_NAME</c> and <c>$arg_NAME</c>, the NAME as written; for <c>$http_NAME</c>, the header's name,
    /// dashes for underscores).
    /// </summary>
    public string Expand<TState>(Func<RequestVariable, string?, TState, string> value, TState state)
    {
        if (IsLiteral)
        {
            return Text;
        }

        var text = new StringBuilder();
        foreach (var (literal, variable, name) in _parts)
        {
            text.Append(literal ?? value(variable, name, state));
        }

        return text.ToString();
    }

    /// <summary>An nginx variable, <c>$name</c> or <c>${name}</c>: the name in group 1 or 2.</summary>
    [GeneratedRegex(@"\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))")]
    internal static partial Regex Variable();
}
