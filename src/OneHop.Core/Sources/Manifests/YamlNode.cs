using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OneHop.Core.Sources.Manifests;

/// <summary>
/// One YAML node kept as its raw parse events, so it can be re-emitted verbatim (scalar styles and tags intact)
/// and handed to KubernetesClient's own deserializer, while positions stay available for error messages.
/// </summary>
internal sealed class YamlNode
{
    private readonly List<ParsingEvent> _events;

    private YamlNode(List<ParsingEvent> events)
    {
        _events = events;
    }

    public Mark Start => _events[0].Start;

    public bool IsEmptyScalar => _events is [Scalar { Value.Length: 0, Style: ScalarStyle.Plain }];

    /// <summary>
    /// Reads the node the parser is positioned on, including everything nested in it. Refuses, with a
    /// <see cref="YamlStructureException"/>, a mapping that repeats a key (deserializers keep the last value
    /// silently, so a second <c>spec:</c> would replace the first) and nesting deeper than
    /// <see cref="YamlStructure.MaxDepth"/> (no Kubernetes object comes close; the limit bounds parse cost).
    /// </summary>
    public static YamlNode Read(IParser parser)
    {
        var events = new List<ParsingEvent>();
        var structure = new YamlStructure();
        do
        {
            var current = parser.Current ?? throw new YamlException("Unexpected end of YAML stream");
            structure.Check(current);
            events.Add(current);
            parser.MoveNext();
        }
        while (structure.Depth > 0);

        return new YamlNode(events);
    }

    /// <summary>The value of a top-level scalar key of a mapping node, e.g. <c>kind</c>.</summary>
    public string? ScalarValue(string key)
    {
        foreach (var (k, value) in TopLevelPairs())
        {
            if (k == key && value._events is [Scalar scalar])
            {
                return scalar.Value;
            }
        }

        return null;
    }

    /// <summary>The elements of a top-level sequence key of a mapping node, e.g. <c>items</c> of a List.</summary>
    public IReadOnlyList<YamlNode>? SequenceItems(string key)
    {
        foreach (var (k, value) in TopLevelPairs())
        {
            if (k != key)
            {
                continue;
            }

            if (value._events[0] is not SequenceStart)
            {
                return null;
            }

            var items = new List<YamlNode>();
            var i = 1;
            while (i < value._events.Count - 1)
            {
                var end = EndOf(value._events, i);
                items.Add(new YamlNode(value._events.GetRange(i, end - i + 1)));
                i = end + 1;
            }

            return items;
        }

        return null;
    }

    /// <summary>Re-emits the node as a standalone YAML document.</summary>
    public string ToYaml()
    {
        using var writer = new StringWriter();
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        foreach (var e in _events)
        {
            emitter.Emit(e);
        }

        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    /// <summary>The node as JSON text (<see cref="YamlJson"/>), for a build without KubernetesYaml.</summary>
    public string ToJson() => YamlJson.Write(_events);

    /// <summary>The field path of the node at <paramref name="mark"/>, a position in the text this node was parsed from.</summary>
    public string? PathAt(Mark mark)
    {
        var index = Innermost(_events, mark);
        return index < 0 ? null : PathTo(_events, index);
    }

    /// <summary>
    /// The field path (e.g. <c>spec.ports[0].port</c>) of the node that starts at <paramref name="markInEmittedText"/> in this
    /// node's own re-emitted text, and the line of that field in the original file.
    /// </summary>
    public (string? Path, int? Line) Locate(Mark markInEmittedText)
    {
        var emitted = new Parser(new StringReader(ToYaml()));
        var emittedEvents = new List<ParsingEvent>();
        while (emitted.MoveNext())
        {
            if (emitted.Current is not (StreamStart or StreamEnd or DocumentStart or DocumentEnd))
            {
                emittedEvents.Add(emitted.Current!);
            }
        }

        if (emittedEvents.Count != _events.Count)
        {
            return (null, null);
        }

        // Both lists hold the same events in the same order, so an index found in one names the same node in the other.
        var index = Innermost(emittedEvents, markInEmittedText);
        if (index < 0)
        {
            return (null, null);
        }

        return (PathTo(_events, index), (int)_events[index].Start.Line);
    }

    /// <summary>
    /// The line and, for a scalar, the text of the node at <paramref name="jsonPath"/> (<c>$.spec.ports[0].port</c> or
    /// <c>$['app.kubernetes.io/name']</c>, as System.Text.Json names a place in the node's JSON form); null where the
    /// path does not lead through this node's own mappings and sequences (an alias, a merged key).
    /// </summary>
    public (int Line, string? Scalar)? Find(string jsonPath)
    {
        var i = 0;
        var p = jsonPath.StartsWith('$') ? 1 : 0;
        while (p < jsonPath.Length && i >= 0)
        {
            if (jsonPath.AsSpan(p).StartsWith("['"))
            {
                var close = jsonPath.IndexOf("']", p + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    return null;
                }

                i = ValueOf(i, jsonPath[(p + 2)..close]);
                p = close + 2;
            }
            else if (jsonPath[p] == '[')
            {
                var close = jsonPath.IndexOf(']', p);
                if (close < 0 || !int.TryParse(jsonPath.AsSpan(p + 1, close - p - 1), out var index))
                {
                    return null;
                }

                i = ItemOf(i, index);
                p = close + 1;
            }
            else if (jsonPath[p] == '.')
            {
                var end = jsonPath.IndexOfAny(['.', '['], p + 1);
                end = end < 0 ? jsonPath.Length : end;
                i = ValueOf(i, jsonPath[(p + 1)..end]);
                p = end;
            }
            else
            {
                return null;
            }
        }

        return i < 0 ? null : ((int)_events[i].Start.Line, _events[i] is Scalar scalar ? scalar.Value : null);
    }

    private int ValueOf(int mapping, string key)
    {
        if (_events[mapping] is not MappingStart)
        {
            return -1;
        }

        for (var i = mapping + 1; _events[i] is not MappingEnd; i = EndOf(_events, i + 1) + 1)
        {
            if (_events[i] is Scalar k && k.Value == key)
            {
                return i + 1;
            }
        }

        return -1;
    }

    private int ItemOf(int sequence, int index)
    {
        if (_events[sequence] is not SequenceStart)
        {
            return -1;
        }

        var i = sequence + 1;
        for (var n = 0; _events[i] is not SequenceEnd; n++, i = EndOf(_events, i) + 1)
        {
            if (n == index)
            {
                return i;
            }
        }

        return -1;
    }

    private IEnumerable<(string Key, YamlNode Value)> TopLevelPairs()
    {
        if (_events[0] is not MappingStart)
        {
            yield break;
        }

        var i = 1;
        while (i < _events.Count - 1)
        {
            var keyEnd = EndOf(_events, i);
            var key = _events[i] is Scalar s ? s.Value : null;
            var valueStart = keyEnd + 1;
            var valueEnd = EndOf(_events, valueStart);
            if (key is not null)
            {
                yield return (key, new YamlNode(_events.GetRange(valueStart, valueEnd - valueStart + 1)));
            }

            i = valueEnd + 1;
        }
    }

    /// <summary>
    /// The event at <paramref name="mark"/>: a block mapping and its first key start at the same place, and the
    /// error is about the innermost of them.
    /// </summary>
    private static int Innermost(List<ParsingEvent> events, Mark mark)
    {
        var index = events.FindIndex(e => e.Start.Index >= mark.Index);
        while (index >= 0 && index + 1 < events.Count && events[index + 1].Start.Index == events[index].Start.Index)
        {
            index++;
        }

        return index;
    }

    /// <summary>The index of the last event of the node that starts at <paramref name="start"/>.</summary>
    internal static int EndOf(IReadOnlyList<ParsingEvent> events, int start)
    {
        var depth = 0;
        var i = start;
        do
        {
            depth += events[i].NestingIncrease;
            i++;
        }
        while (depth > 0 && i < events.Count);

        return i - 1;
    }

    private static string? PathTo(List<ParsingEvent> events, int target)
    {
        // Walk containers from the root, descending into the child that holds the target index.
        var segments = new List<string>();
        var i = 0;
        while (i < target)
        {
            switch (events[i])
            {
                case MappingStart:
                    {
                        var j = i + 1;
                        var descended = false;
                        while (j < events.Count && events[j] is not MappingEnd)
                        {
                            var keyEnd = EndOf(events, j);
                            var valueEnd = EndOf(events, keyEnd + 1);
                            if (target <= valueEnd)
                            {
                                segments.Add(events[j] is Scalar key ? key.Value : "?");
                                i = target <= keyEnd ? target : keyEnd + 1;
                                descended = true;
                                break;
                            }

                            j = valueEnd + 1;
                        }

                        if (!descended)
                        {
                            return Join(segments);
                        }

                        break;
                    }

                case SequenceStart:
                    {
                        var j = i + 1;
                        var index = 0;
                        var descended = false;
                        while (j < events.Count && events[j] is not SequenceEnd)
                        {
                            var end = EndOf(events, j);
                            if (target <= end)
                            {
                                segments.Add($"[{index}]");
                                i = j;
                                descended = true;
                                break;
                            }

                            j = end + 1;
                            index++;
                        }

                        if (!descended)
                        {
                            return Join(segments);
                        }

                        break;
                    }

                default:
                    return Join(segments);
            }
        }

        return Join(segments);
    }

    private static string? Join(List<string> segments)
    {
        if (segments.Count == 0)
        {
            return null;
        }

        var text = string.Concat(segments.Select((s, i) => s.StartsWith('[') || i == 0 ? s : "." + s));
        return text;
    }
}
