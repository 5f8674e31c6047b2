using System.Globalization;
using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace OneHop.Core.Sources.Config;

/// <summary>
/// A first pass over the config file's YAML against the shape of <see cref="ConfigDocument"/>, before anything is
/// deserialized: every unknown field and every value of the wrong kind (text where a number goes, a list where a
/// section goes) is found in one run, each with its field path, line and column — a deserializer stops at the first.
/// It records where every field is, so the validator's findings (which know only the field) get a place too, and it
/// keeps the file without the fields it refused, so the validator can still check all the others in the same run.
/// </summary>
internal sealed class ConfigOutline
{
    private readonly Dictionary<string, (int Line, int Column)> _places = new(StringComparer.Ordinal);
    private readonly List<(string Field, int Line, int Column, string Message)> _problems = [];

    private ConfigOutline()
    {
    }

    /// <summary>Unknown fields and values of the wrong kind, in file order.</summary>
    public IReadOnlyList<(string Field, int Line, int Column, string Message)> Problems => _problems;

    /// <summary>
    /// The file as YAML without the fields that are <see cref="Problems"/> (a refused list item becomes null, so the
    /// items after it keep their index); null when the whole file is not a section.
    /// </summary>
    public string? Checkable { get; private set; }

    /// <summary>Reads the outline of a document that parses as YAML (the caller checked its structure).</summary>
    public static ConfigOutline Read(string text)
    {
        var outline = new ConfigOutline();
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0)
        {
            outline.Checkable = string.Empty;
        }
        else if (outline.Visit(stream.Documents[0].RootNode, typeof(ConfigDocument), string.Empty))
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            stream.Save(writer, assignAnchors: false);
            outline.Checkable = writer.ToString();
        }

        return outline;
    }

    /// <summary>The line and column of <paramref name="field"/>, or of the nearest enclosing field the file has.</summary>
    public (int Line, int Column)? PlaceOf(string? field)
    {
        for (var path = field; !string.IsNullOrEmpty(path); path = Parent(path))
        {
            if (_places.TryGetValue(path, out var place))
            {
                return place;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="field"/> is one of the refused fields or inside one (so the validator never saw it).</summary>
    public bool Refused(string? field) =>
        field is not null && _problems.Any(p => field == p.Field || (field.StartsWith(p.Field, StringComparison.Ordinal) && field[p.Field.Length] is '.' or '['));

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? string.Empty : path[..cut];
    }

    /// <summary>Checks <paramref name="node"/> against <paramref name="type"/>; false when it is refused and must go.</summary>
    private bool Visit(YamlNode node, Type type, string path)
    {
        if (path.Length > 0)
        {
            _places.TryAdd(path, ((int)node.Start.Line, (int)node.Start.Column));
        }

        if (node is YamlScalarNode { Value: null or "" or "~" or "null" } && node.Tag.IsEmpty)
        {
            // Every field is optional: a null is the validator's business.
            return true;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (node is not YamlSequenceNode sequence)
            {
                return Problem(node, path, "expected a list");
            }

            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (!Visit(sequence.Children[i], type.GetGenericArguments()[0], $"{path}[{i}]"))
                {
                    sequence.Children[i] = new YamlScalarNode(null);
                }
            }

            return true;
        }

        if (type == typeof(string))
        {
            return node is YamlScalarNode || Problem(node, path, "expected a value, not a list or a section");
        }

        if (type == typeof(int) || type == typeof(double) || type == typeof(bool))
        {
            var text = (node as YamlScalarNode)?.Value;
            var valid = text is not null && (type == typeof(int)
                ? int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                : type == typeof(double)
                    ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    : bool.TryParse(text, out _));
            return valid || Problem(node, path, text is null ? "expected a value, not a list or a section" : $"'{text}' is not {(type == typeof(int) ? "a whole number" : type == typeof(double) ? "a number" : "true or false")}");
        }

        if (node is not YamlMappingNode mapping)
        {
            return Problem(node, path, "expected a section (field: value lines)");
        }

        var properties = Properties(type);
        var refused = new List<YamlNode>();
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            var field = path.Length == 0 ? name : $"{path}.{name}";
            if (properties.TryGetValue(name, out var property) ? !Visit(value, property.PropertyType, field) : !Problem(key, field, "unknown field"))
            {
                refused.Add(key);
            }
        }

        foreach (var key in refused)
        {
            mapping.Children.Remove(key);
        }

        return true;
    }

    /// <summary>Records a problem; false, so that a check can return it as "refused".</summary>
    private bool Problem(YamlNode node, string path, string message)
    {
        _problems.Add((path, (int)node.Start.Line, (int)node.Start.Column, message));
        _places.TryAdd(path, ((int)node.Start.Line, (int)node.Start.Column));
        return false;
    }

    /// <summary>The fields of a document type as the file names them (camelCase, as the deserializer reads them).</summary>
    private static Dictionary<string, PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..], StringComparer.Ordinal);
}
