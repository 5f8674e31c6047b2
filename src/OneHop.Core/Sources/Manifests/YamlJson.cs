using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OneHop.Core.Sources.Manifests;

/// <summary>
/// Writes one YAML node (its parse events) as JSON text, which <see cref="State.YamlObjectJson"/> reads into a
/// Kubernetes object. Both builds read manifests this way: KubernetesClient's <c>KubernetesYaml</c> cannot start under
/// Native AOT (it orders properties by <c>MemberInfo.MetadataToken</c>, which Native AOT never has), and in the JIT
/// build its static constructor alone holds ~20 MiB (bench/PROFILE.md, "Reading manifests without KubernetesYaml").
/// Every scalar becomes a JSON string, except a plain null (<c>~</c>, <c>null</c>, empty): the target type decides
/// what the text means, as it does for YamlDotNet (<c>port: 80</c> and <c>port: "80"</c> are both 80, <c>value: 80</c>
/// is the string "80"). Aliases repeat their anchored node; merge keys (<c>&lt;&lt;</c>) follow YAML's merge rule.
/// </summary>
internal static class YamlJson
{
    public static string Write(IReadOnlyList<ParsingEvent> events)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var end = new NodeWriter(events, writer).Write(0);
            if (end != events.Count)
            {
                throw new YamlException(events[end].Start, events[end].End, "more than one node where one document was expected");
            }
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private sealed class NodeWriter(IReadOnlyList<ParsingEvent> events, Utf8JsonWriter writer)
    {
        private readonly Dictionary<int, int> _aliasTargets = AliasTargets(events);

        /// <summary>Writes the node that starts at <paramref name="i"/>; returns the index after it.</summary>
        public int Write(int i)
        {
            switch (events[i])
            {
                case Scalar scalar:
                    WriteScalar(scalar);
                    return i + 1;
                case AnchorAlias:
                    Write(_aliasTargets[i]);
                    return i + 1;
                case MappingStart:
                    writer.WriteStartObject();
                    WritePairs(i, new HashSet<string>(StringComparer.Ordinal));
                    writer.WriteEndObject();
                    return YamlNode.EndOf(events, i) + 1;
                case SequenceStart:
                    writer.WriteStartArray();
                    i++;
                    while (events[i] is not SequenceEnd)
                    {
                        i = Write(i);
                    }

                    writer.WriteEndArray();
                    return i + 1;
                case var other:
                    throw new YamlException(other.Start, other.End, $"unexpected {other.GetType().Name}");
            }
        }

        /// <summary>
        /// Writes the pairs of the mapping at <paramref name="start"/> whose keys are not <paramref name="taken"/> yet,
        /// a merge key's pairs where it stands (as KubernetesYaml orders them). YAML's merge rule decides which value
        /// a key gets: a mapping's own keys win over merged ones wherever the <c>&lt;&lt;</c> stands, and an earlier
        /// merged mapping wins over a later one; merges nest.
        /// </summary>
        private void WritePairs(int start, HashSet<string> taken)
        {
            var own = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (key, _) in Pairs(start))
            {
                if (!IsMergeKey(key) && !taken.Contains(key.Value))
                {
                    own.Add(key.Value);
                }
            }

            taken.UnionWith(own);
            foreach (var (key, value) in Pairs(start))
            {
                if (IsMergeKey(key))
                {
                    WriteMerged(value, taken);
                }
                else if (own.Contains(key.Value))
                {
                    writer.WritePropertyName(key.Value);
                    Write(value);
                }
            }
        }

        private IEnumerable<(Scalar Key, int Value)> Pairs(int mapping)
        {
            for (var i = mapping + 1; events[i] is not MappingEnd; i = YamlNode.EndOf(events, i + 1) + 1)
            {
                yield return events[i] is Scalar key
                    ? (key, i + 1)
                    : throw new YamlException(events[i].Start, events[i].End, "a mapping key must be a scalar");
            }
        }

        private static bool IsMergeKey(Scalar key) => key is { Value: "<<", Style: ScalarStyle.Plain };

        private void WriteMerged(int value, HashSet<string> taken)
        {
            var node = Target(value);
            switch (events[node])
            {
                case MappingStart:
                    WritePairs(node, taken);
                    break;
                case SequenceStart:
                    for (var i = node + 1; events[i] is not SequenceEnd; i = YamlNode.EndOf(events, i) + 1)
                    {
                        if (events[Target(i)] is not MappingStart)
                        {
                            throw new YamlException(events[i].Start, events[i].End, "a merge key (<<) takes a mapping or a sequence of mappings");
                        }

                        WritePairs(Target(i), taken);
                    }

                    break;
                default:
                    throw new YamlException(events[value].Start, events[value].End, "a merge key (<<) takes a mapping or a sequence of mappings");
            }
        }

        private int Target(int i) => events[i] is AnchorAlias ? _aliasTargets[i] : i;

        private void WriteScalar(Scalar scalar)
        {
            if (scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty && IsNull(scalar.Value))
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(scalar.Value);
            }
        }
    }

    /// <summary>
    /// The node each alias repeats: the latest node with that anchor complete before the alias, as YamlDotNet reads
    /// it. A node cannot hold an alias to itself (it is not complete there), so following aliases always ends.
    /// </summary>
    private static Dictionary<int, int> AliasTargets(IReadOnlyList<ParsingEvent> events)
    {
        var anchors = new List<(string Name, int Start, int End)>();
        var targets = new Dictionary<int, int>();
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is NodeEvent { Anchor.IsEmpty: false } anchored)
            {
                anchors.Add((anchored.Anchor.Value, i, YamlNode.EndOf(events, i)));
            }
            else if (events[i] is AnchorAlias alias)
            {
                var target = -1;
                var targetEnd = -1;
                foreach (var (name, start, end) in anchors)
                {
                    if (end < i && end > targetEnd && name == alias.Value.Value)
                    {
                        (target, targetEnd) = (start, end);
                    }
                }

                targets[i] = target >= 0
                    ? target
                    : throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} names no anchor before it");
            }
        }

        return targets;
    }

    // YAML 1.2's core schema nulls, the ones YamlDotNet reads as null.
    private static bool IsNull(string value) => value is "" or "~" or "null" or "Null" or "NULL";
}
