using System.Text.RegularExpressions;

namespace OneHop.Core.Routing;

/// <summary>
/// A header or query parameter condition: the value exactly, or a regular expression that must match all of it (as
/// Envoy's full-match RE2 does). Regexes run on .NET's non-backtracking engine: a hostile pattern or value costs linear
/// time, never a stuck request thread.
/// </summary>
internal sealed class ValueMatch : IEquatable<ValueMatch>
{
    private readonly Regex? _regex;

    private ValueMatch(string name, string value, Regex? regex)
    {
        Name = name;
        Value = value;
        _regex = regex;
    }

    public string Name { get; }

    public string Value { get; }

    public bool IsRegex => _regex is not null;

    public static ValueMatch Exact(string name, string value) => new(name, value, null);

    /// <summary>A regex condition; null with the reason when <paramref name="pattern"/> is not a valid expression.</summary>
    public static ValueMatch? Regex(string name, string pattern, out string? problem)
    {
        var regex = FullMatch(pattern, out problem);
        return regex is null ? null : new ValueMatch(name, pattern, regex);
    }

    /// <summary>A compiled full-match expression, or null with the reason.</summary>
    public static Regex? FullMatch(string pattern, out string? problem) => Compile($"^(?:{pattern})$", pattern, out problem);

    /// <summary>A compiled expression found anywhere in the value (nginx's <c>~</c>, <c>~*</c> ignoring case), or null with the reason.</summary>
    public static Regex? Search(string pattern, out string? problem, bool ignoreCase = false) => Compile(pattern, pattern, out problem, ignoreCase);

    private static Regex? Compile(string expression, string pattern, out string? problem, bool ignoreCase = false)
    {
        try
        {
            problem = null;
            return new Regex(expression, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));
        }
        catch (ArgumentException ex)
        {
            problem = $"invalid regular expression '{pattern}': {ex.Message}";
            return null;
        }
        catch (NotSupportedException ex)
        {
            // The non-backtracking engine refuses lookarounds and backreferences.
            problem = $"unsupported regular expression '{pattern}': {ex.Message}";
            return null;
        }
    }

    public bool Matches(string? actual) =>
        actual is not null && (_regex is { } regex ? regex.IsMatch(actual) : string.Equals(actual, Value, StringComparison.Ordinal));

    public bool Equals(ValueMatch? other) => other is not null && Name == other.Name && Value == other.Value && IsRegex == other.IsRegex;

    public override bool Equals(object? obj) => Equals(obj as ValueMatch);

    public override int GetHashCode() => HashCode.Combine(Name, Value, IsRegex);

    public override string ToString() => IsRegex ? $"{Name}~{Value}" : $"{Name}={Value}";
}
