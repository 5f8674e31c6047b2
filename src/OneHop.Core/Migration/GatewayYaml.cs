using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Migration;

/// <summary>
/// Writes migrated objects as block YAML, each after its comments: the objects go through System.Text.Json (the
/// models' own property names, nulls left out) and the JSON tree is written as YAML, strings quoted whenever a plain
/// scalar could be read as something else.
/// </summary>
internal static partial class GatewayYaml
{
    // The Gateway API kinds' generated metadata (every property has its JsonPropertyName), so that no reflection is
    // needed: a Native AOT build has none.
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = GatewayApiJsonContext.Default,
    };

    /// <summary>Every object as one YAML stream, documents separated by <c>---</c>.</summary>
    public static string Stream(IEnumerable<MigratedObject> objects) => string.Join("---\n", objects.Select(Document));

    /// <summary>One object: its comments, then its YAML.</summary>
    public static string Document(MigratedObject migrated)
    {
        var text = new StringBuilder();
        foreach (var comment in migrated.Comments)
        {
            text.Append("# ").Append(comment.ReplaceLineEndings(" ")).Append('\n');
        }

        Mapping(text, JsonSerializer.SerializeToNode(migrated.Object, Options.GetTypeInfo(migrated.Object.GetType()))!.AsObject(), 0, inline: false);
        return text.ToString();
    }

    /// <summary>Keys written first, in this order, as Kubernetes writes them (the models' base-class properties come last in JSON).</summary>
    private static readonly string[] First = ["apiVersion", "kind", "metadata", "group", "name", "namespace"];

    private static void Mapping(StringBuilder text, JsonObject mapping, int indent, bool inline)
    {
        var ordered = mapping.OrderBy(p => Array.IndexOf(First, p.Key) is var i and >= 0 ? i : First.Length);
        foreach (var (key, value) in ordered)
        {
            if (!inline)
            {
                text.Append(' ', indent);
            }

            inline = false;
            text.Append(key).Append(':');
            switch (value)
            {
                case JsonObject { Count: > 0 } child:
                    text.Append('\n');
                    Mapping(text, child, indent + 2, inline: false);
                    break;
                case JsonArray { Count: > 0 } items:
                    text.Append('\n');
                    Sequence(text, items, indent + 2);
                    break;
                default:
                    text.Append(' ').Append(Scalar(value)).Append('\n');
                    break;
            }
        }
    }

    private static void Sequence(StringBuilder text, JsonArray items, int indent)
    {
        foreach (var item in items)
        {
            text.Append(' ', indent).Append("- ");
            switch (item)
            {
                case JsonObject { Count: > 0 } mapping:
                    Mapping(text, mapping, indent + 2, inline: true);
                    break;
                case JsonArray { Count: > 0 } nested:
                    text.Append('\n');
                    Sequence(text, nested, indent + 2);
                    break;
                default:
                    text.Append(Scalar(item)).Append('\n');
                    break;
            }
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        _ when node.GetValueKind() == JsonValueKind.String => Quoted(node.GetValue<string>()),
        _ => node.ToJsonString(Options),
    };

    /// <summary>A plain scalar when YAML reads it back as the same string, else a double-quoted one (JSON's escapes are YAML's).</summary>
    private static string Quoted(string value) =>
        Plain().IsMatch(value) && !LooksTyped().IsMatch(value) ? value : JsonValue.Create(value).ToJsonString(Options);

    [GeneratedRegex(@"^[A-Za-z0-9/_.][A-Za-z0-9/_.:=,+-]*$")]
    private static partial Regex Plain();

    /// <summary>What YAML 1.1 or 1.2 would read as a number, a boolean or null.</summary>
    [GeneratedRegex(@"^([-+]?[0-9][0-9_.:eE+-]*|\.[0-9].*|(?i:true|false|yes|no|on|off|y|n|null|~))$")]
    private static partial Regex LooksTyped();
}
