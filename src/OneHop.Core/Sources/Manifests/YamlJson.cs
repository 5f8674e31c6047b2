using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OneHop.Core.Sources.Manifests;

/// <summary>
/// Writes one YAML node (its parse events) as JSON text, for the Native AOT build: there KubernetesClient's
/// <c>KubernetesYaml</c> cannot start (it orders properties by <c>MemberInfo.MetadataToken</c>, which Native AOT never
/// has), so a YAML object is read as JSON by <see cref="State.YamlObjectJson"/> instead. Every scalar becomes a JSON
/// string, except a plain null (<c>~</c>, <c>null</c>, empty): the target type decides what the text means, as it does
/// for YamlDotNet (<c>port: 80</c> and <c>port: "80"</c> are both 80, <c>value: 80</c> is the string "80").
/// </summary>
internal static class YamlJson
{
    public static string Write(IReadOnlyList<ParsingEvent> events)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var anchors = new Dictionary<string, (int Start, int End)>(StringComparer.Ordinal);
            var end = WriteNode(writer, events, 0, anchors);
            if (end != events.Count)
            {
                throw new YamlException(events[end].Start, events[end].End, "more than one node where one document was expected");
            }
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes the node that starts at <paramref name="i"/>; returns the index after it.</summary>
    private static int WriteNode(Utf8JsonWriter writer, IReadOnlyList<ParsingEvent> events, int i, Dictionary<string, (int Start, int End)> anchors)
    {
        var start = i;
        var next = events[i] switch
        {
            Scalar scalar => WriteScalar(writer, scalar, i),
            MappingStart => WriteMapping(writer, events, i, anchors),
            SequenceStart => WriteSequence(writer, events, i, anchors),
            AnchorAlias alias => WriteAlias(writer, events, alias, anchors, i),
            var other => throw new YamlException(other.Start, other.End, $"unexpected {other.GetType().Name}"),
        };

        if (events[start] is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            anchors[anchored.Anchor.Value] = (start, next);
        }

        return next;
    }

    private static int WriteScalar(Utf8JsonWriter writer, Scalar scalar, int i)
    {
        if (scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty && IsNull(scalar.Value))
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(scalar.Value);
        }

        return i + 1;
    }

    private static int WriteMapping(Utf8JsonWriter writer, IReadOnlyList<ParsingEvent> events, int i, Dictionary<string, (int Start, int End)> anchors)
    {
        writer.WriteStartObject();
        i++;
        while (events[i] is not MappingEnd)
        {
            if (events[i] is not Scalar key)
            {
                throw new YamlException(events[i].Start, events[i].End, "a mapping key must be a scalar");
            }

            if (key.Value == "<<" && key.Style == ScalarStyle.Plain)
            {
                // KubernetesYaml merges these (MergingParser); no Kubernetes manifest needs them, and this reader does not.
                throw new YamlException(key.Start, key.End, "YAML merge keys (<<) are not supported by this build");
            }

            writer.WritePropertyName(key.Value);
            i = WriteNode(writer, events, i + 1, anchors);
        }

        writer.WriteEndObject();
        return i + 1;
    }

    private static int WriteSequence(Utf8JsonWriter writer, IReadOnlyList<ParsingEvent> events, int i, Dictionary<string, (int Start, int End)> anchors)
    {
        writer.WriteStartArray();
        i++;
        while (events[i] is not SequenceEnd)
        {
            i = WriteNode(writer, events, i, anchors);
        }

        writer.WriteEndArray();
        return i + 1;
    }

    private static int WriteAlias(Utf8JsonWriter writer, IReadOnlyList<ParsingEvent> events, AnchorAlias alias, Dictionary<string, (int Start, int End)> anchors, int i)
    {
        if (!anchors.TryGetValue(alias.Value.Value, out var range))
        {
            throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} names no anchor before it");
        }

        // The anchored node again, as YamlDotNet reads an alias; a node cannot hold an alias to itself (its anchor is
        // recorded only once it is complete), so this ends.
        var copy = new List<ParsingEvent>(range.End - range.Start);
        for (var j = range.Start; j < range.End; j++)
        {
            copy.Add(events[j]);
        }

        WriteNode(writer, copy, 0, anchors);
        return i + 1;
    }

    // YAML 1.2's core schema nulls, the ones YamlDotNet reads as null.
    private static bool IsNull(string value) => value is "" or "~" or "null" or "Null" or "NULL";
}
