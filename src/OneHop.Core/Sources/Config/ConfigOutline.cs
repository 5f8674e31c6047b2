using System.Globalization;
using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace OneHop.Core.Sources.Config;

/// <summary>
/// A first pass over the config file's YAML against the shape of <see cref="ConfigDocument"/>, before anything is
/// deserialized: every unknown field and every value of the wrong kind (text where a number goes, a list where a
/// section goes) is found in one run, each with its field path and line — a deserializer stops at the first. It also
/// records the line of every field, so the validator's findings (which know only the field) get lines too.
/// </summary>
internal sealed class ConfigOutline
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private readonly List<(string Field, int Line, int Column, string Message)> _problems = [];

    private ConfigOutline()
    {
    }

    /// <summary>Unknown fields and values of the wrong kind, in file order.</summary>
    public IReadOnlyList<(string Field, int Line, int Column, string Message)> Problems => _problems;

    /// <summary>Reads the outline of a document that parses as YAML (the caller checked its structure).</summary>
    public static ConfigOutline Read(string text)
    {
        var outline = new ConfigOutline();
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count > 0)
        {
            outline.Visit(stream.Documents[0].RootNode, typeof(ConfigDocument), string.Empty);
        }

        return outline;
    }

    /// <summary>The line of <paramref name="field"/>, or of the nearest enclosing field the file has.</summary>
    public int? LineOf(string? field)
    {
        for (var path = field; !string.IsNullOrEmpty(path); path = Parent(path))
        {
            if (_lines.TryGetValue(path, out var line))
            {
                return line;
            }
        }

        return null;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? string.Empty : path[..cut];
    }

    private void Visit(YamlNode node, Type type, string path)
    {
        if (path.Length > 0)
        {
            _lines.TryAdd(path, (int)node.Start.Line);
        }

        if (node is YamlScalarNode { Value: null or "" or "~" or "null" } && node.Tag.IsEmpty)
        {
            // Every field is optional: a null is the validator's business.
            return;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (node is not YamlSequenceNode sequence)
            {
                Problem(node, path, "expected a list");
                return;
            }

            for (var i = 0; i < sequence.Children.Count; i++)
            {
                Visit(sequence.Children[i], type.GetGenericArguments()[0], $"{path}[{i}]");
            }

            return;
        }

        if (type == typeof(string))
        {
            if (node is not YamlScalarNode)
            {
                Problem(node, path, "expected a value, not a list or a section");
            }

            return;
        }

        if (type == typeof(int) || type == typeof(double) || type == typeof(bool))
        {
            var text = (node as YamlScalarNode)?.Value;
            var valid = text is not null && (type == typeof(int)
                ? int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                : type == typeof(double)
                    ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    : bool.TryParse(text, out _));
            if (!valid)
            {
                Problem(node, path, text is null ? "expected a value, not a list or a section" : $"'{text}' is not {(type == typeof(int) ? "a whole number" : type == typeof(double) ? "a number" : "true or false")}");
            }

            return;
        }

        if (node is not YamlMappingNode mapping)
        {
            Problem(node, path, "expected a section (field: value lines)");
            return;
        }

        var properties = Properties(type);
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            var field = path.Length == 0 ? name : $"{path}.{name}";
            if (!properties.TryGetValue(name, out var property))
            {
                Problem(key, field, "unknown field");
                continue;
            }

            Visit(value, property.PropertyType, field);
        }
    }

    private void Problem(YamlNode node, string path, string message)
    {
        _problems.Add((path, (int)node.Start.Line, (int)node.Start.Column, message));
        _lines.TryAdd(path, (int)node.Start.Line);
    }

    /// <summary>The fields of a document type as the file names them (camelCase, as the deserializer reads them).</summary>
    private static Dictionary<string, PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..], StringComparer.Ordinal);
}
