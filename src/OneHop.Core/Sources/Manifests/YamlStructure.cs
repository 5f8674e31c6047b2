using YamlDotNet.Core.Events;

namespace OneHop.Core.Sources.Manifests;

/// <summary>
/// Follows a stream of YAML parse events and throws <see cref="YamlStructureException"/> at the first repeated
/// mapping key, at nesting deeper than <see cref="MaxDepth"/>, or when aliases would expand the document by more than
/// <see cref="MaxAliasExpansion"/> nodes (the "billion laughs": a few lines of anchors that expand exponentially), naming
/// the field path where it happened.
/// </summary>
internal sealed class YamlStructure
{
    /// <summary>JSON's default limit too (System.Text.Json): a Kubernetes object nests about 10 deep.</summary>
    public const int MaxDepth = 64;

    /// <summary>Nodes that aliases may add in all; a manifest that reuses a few labels by alias stays far below.</summary>
    public const long MaxAliasExpansion = 100_000;

    private readonly Stack<Frame> _frames = new();
    private readonly Dictionary<string, long> _anchorSizes = new(StringComparer.Ordinal);
    private long _aliasExpansion;

    public int Depth => _frames.Count;

    public void Check(ParsingEvent e)
    {
        switch (e)
        {
            case MappingStart or SequenceStart:
                if (_frames.Count >= MaxDepth)
                {
                    throw new YamlStructureException(e.Start, e.End, $"nesting deeper than {MaxDepth} levels at {Path(includeTop: true)}; no Kubernetes object or config needs that");
                }

                _frames.Push(new Frame(e is MappingStart, ((NodeEvent)e).Anchor));
                break;
            case MappingEnd or SequenceEnd:
                var closed = _frames.Pop();
                if (!closed.Anchor.IsEmpty)
                {
                    _anchorSizes[closed.Anchor.Value] = closed.Size + 1;
                }

                Completed(closed.Size + 1);
                break;
            case Scalar scalar:
                if (_frames.TryPeek(out var top) && top.IsMapping && top.ExpectKey && !top.Keys!.Add(scalar.Value))
                {
                    throw new YamlStructureException(e.Start, e.End, $"duplicate key '{scalar.Value}' in {Path(includeTop: false)}; a second value would silently replace the first");
                }

                if (top is { IsMapping: true, ExpectKey: true })
                {
                    top.Key = scalar.Value;
                }

                if (!scalar.Anchor.IsEmpty)
                {
                    _anchorSizes[scalar.Anchor.Value] = 1;
                }

                Completed(1);
                break;
            case AnchorAlias alias:
                var size = _anchorSizes.GetValueOrDefault(alias.Value.Value, 1);
                _aliasExpansion += size;
                if (_aliasExpansion > MaxAliasExpansion)
                {
                    throw new YamlStructureException(e.Start, e.End, $"aliases expand to more than {MaxAliasExpansion} nodes at {Path(includeTop: true)}; write the values out instead");
                }

                Completed(size);
                break;
        }
    }

    /// <summary>
    /// A whole node of <paramref name="size"/> nodes (aliases expanded) ended: in a mapping, a key is followed by its
    /// value and a value by the next key.
    /// </summary>
    private void Completed(long size)
    {
        if (!_frames.TryPeek(out var top))
        {
            return;
        }

        top.Size += size;

        if (top.IsMapping)
        {
            top.ExpectKey = !top.ExpectKey;
        }
        else
        {
            top.Index++;
        }
    }

    /// <summary>The field path of the node being read; without <paramref name="includeTop"/>, of its container.</summary>
    private string Path(bool includeTop)
    {
        var frames = _frames.Reverse().Take(includeTop ? _frames.Count : _frames.Count - 1);
        var segments = frames.Select(f => f.IsMapping ? f.Key is { } key ? "." + key : string.Empty : $"[{f.Index}]");
        var path = string.Concat(segments).TrimStart('.');
        return path.Length == 0 ? "the top level" : path;
    }

    private sealed class Frame(bool isMapping, YamlDotNet.Core.AnchorName anchor)
    {
        public bool IsMapping { get; } = isMapping;

        public YamlDotNet.Core.AnchorName Anchor { get; } = anchor;

        /// <summary>Nodes inside so far, aliases counted as what they stand for.</summary>
        public long Size { get; set; }

        public HashSet<string>? Keys { get; } = isMapping ? new(StringComparer.Ordinal) : null;

        /// <summary>In a mapping: the next node is a key. Unused in a sequence.</summary>
        public bool ExpectKey { get; set; } = isMapping;

        public string? Key { get; set; }

        public int Index { get; set; }
    }
}
