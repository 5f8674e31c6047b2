using System.Text;
using KubeApiTestServer.Resources;

namespace KubeApiTestServer.Selectors;

/// <summary>A parsed field selector (apimachinery <c>fields.ParseSelector</c>), checked against the kind's selectable fields.</summary>
internal sealed class FieldSelector
{
    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    public static FieldSelector Everything { get; } = new([]);

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    public bool Matches(Func<string, string?> fieldValue) => Requirements.All(r => r.Matches(fieldValue(r.Field)));

    public static FieldSelector Parse(string? text, ResourceKind kind)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Everything;
        }

        var requirements = new List<FieldRequirement>();
        foreach (var term in SplitUnescaped(text, ','))
        {
            if (term.Length == 0)
            {
                continue;
            }

            requirements.Add(ParseTerm(text, term, kind));
        }

        return new FieldSelector(requirements);
    }

    private static FieldRequirement ParseTerm(string selector, string term, ResourceKind kind)
    {
        foreach (var op in (string[])["!=", "==", "="])
        {
            var index = IndexOfUnescaped(term, op);
            if (index < 0)
            {
                continue;
            }

            var field = term[..index];
            var value = Unescape(term[(index + op.Length)..]);
            if (!kind.SelectableFields.Contains(field, StringComparer.Ordinal))
            {
                throw new SelectorException(kind.FieldSelectorStyle == FieldSelectorStyle.Default
                    ? $"\"{field}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
                    : $"field label not supported: {field}");
            }

            return new FieldRequirement(field, op != "!=", value);
        }

        throw new SelectorException($"invalid selector: '{selector}'; can't understand '{term}'");
    }

    private static List<string> SplitUnescaped(string text, char separator)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text, i, 2);
                i++;
            }
            else if (text[i] == separator)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }

    private static int IndexOfUnescaped(string term, string op)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (term[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(term, i, op, 0, op.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value)
    {
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\')
            {
                result.Append(value[i]);
                continue;
            }

            if (i + 1 >= value.Length || value[i + 1] is not ('\\' or ',' or '='))
            {
                throw new SelectorException($"invalid field selector: invalid escape sequence: {value}");
            }

            result.Append(value[++i]);
        }

        return result.ToString();
    }
}
