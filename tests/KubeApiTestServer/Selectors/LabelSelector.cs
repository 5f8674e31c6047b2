using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeApiTestServer.Selectors;

/// <summary>
/// A parsed label selector (apimachinery <c>labels.Parse</c>): <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>,
/// <c>k in (a,b)</c>, <c>k notin (a)</c>, <c>k</c>, <c>!k</c>, <c>k&gt;n</c>, <c>k&lt;n</c>; commas mean AND.
/// </summary>
internal sealed partial class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(r => r.Matches(labels));

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var tokens = Tokenize(text);
        var position = 0;
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            requirements.Add(ParseRequirement(tokens, ref position));
            if (position >= tokens.Count)
            {
                break;
            }

            if (tokens[position] != ",")
            {
                throw new SelectorException($"found '{tokens[position]}', expected: ',' or 'end of string'");
            }

            position++;
        }

        return new LabelSelector(requirements);
    }

    private static LabelRequirement ParseRequirement(List<string> tokens, ref int position)
    {
        if (Peek(tokens, position) == "!")
        {
            position++;
            var absent = ExpectIdentifier(tokens, ref position, "after '!'");
            return Validated(absent, LabelOperator.DoesNotExist, []);
        }

        var key = ExpectIdentifier(tokens, ref position, "");
        var next = Peek(tokens, position);
        if (next is null or ",")
        {
            return Validated(key, LabelOperator.Exists, []);
        }

        position++;
        switch (next)
        {
            case "=" or "==":
                return Validated(key, LabelOperator.Equals, [OptionalValue(tokens, ref position)]);
            case "!=":
                return Validated(key, LabelOperator.NotEquals, [OptionalValue(tokens, ref position)]);
            case ">" or "<":
                var number = ExpectIdentifier(tokens, ref position, $"after '{next}'");
                if (!long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                {
                    throw new SelectorException($"unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer");
                }

                return Validated(key, next == ">" ? LabelOperator.GreaterThan : LabelOperator.LessThan, [number]);
            case "in" or "notin":
                return Validated(key, next == "in" ? LabelOperator.In : LabelOperator.NotIn, ParseSet(tokens, ref position));
            default:
                throw new SelectorException($"found '{next}', expected: '=', '!=', '==', 'in', notin'");
        }
    }

    private static List<string> ParseSet(List<string> tokens, ref int position)
    {
        if (Peek(tokens, position) != "(")
        {
            throw new SelectorException($"found '{Peek(tokens, position) ?? ""}', expected: '('");
        }

        position++;
        var values = new List<string>();
        while (true)
        {
            var token = Peek(tokens, position);
            if (token is null)
            {
                throw new SelectorException("found '', expected: ')'");
            }

            if (token == ")")
            {
                position++;
                break;
            }

            if (token == ",")
            {
                values.Add("");
                position++;
                continue;
            }

            values.Add(token);
            position++;
            if (Peek(tokens, position) == ",")
            {
                position++;
            }
        }

        if (values.Count == 0)
        {
            throw new SelectorException("unable to parse requirement: for 'in', 'notin' operators, values set can't be empty");
        }

        return values;
    }

    private static string OptionalValue(List<string> tokens, ref int position)
    {
        var token = Peek(tokens, position);
        if (token is null or ",")
        {
            return "";
        }

        position++;
        return token;
    }

    private static string ExpectIdentifier(List<string> tokens, ref int position, string where)
    {
        var token = Peek(tokens, position);
        if (token is null || IsSymbol(token))
        {
            throw new SelectorException($"found '{token ?? ""}', expected: identifier {where}".TrimEnd());
        }

        position++;
        return token;
    }

    private static LabelRequirement Validated(string key, LabelOperator op, IReadOnlyList<string> values)
    {
        if (!QualifiedName().IsMatch(key) || key.Split('/')[^1].Length > 63)
        {
            throw new SelectorException($"unable to parse requirement: invalid label key \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }

        foreach (var value in values)
        {
            if (value.Length > 63 || (value.Length > 0 && !LabelValue().IsMatch(value)))
            {
                throw new SelectorException($"unable to parse requirement: invalid label value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
            }
        }

        return new LabelRequirement(key, op, values);
    }

    private static string? Peek(List<string> tokens, int position) => position < tokens.Count ? tokens[position] : null;

    private static bool IsSymbol(string token) => token is "!" or "!=" or "=" or "==" or "(" or ")" or "," or ">" or "<";

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c is '!' or '=')
            {
                var two = i + 1 < text.Length && text[i + 1] == '=';
                tokens.Add(two ? text.Substring(i, 2) : c.ToString());
                i += two ? 2 : 1;
                continue;
            }

            if (c is '(' or ')' or ',' or '>' or '<')
            {
                tokens.Add(c.ToString());
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('!' or '=' or '(' or ')' or ',' or '>' or '<'))
            {
                i++;
            }

            tokens.Add(text[start..i]);
        }

        return tokens;
    }

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
