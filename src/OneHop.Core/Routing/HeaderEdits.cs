using System.Collections.Immutable;

namespace OneHop.Core.Routing;

/// <summary>Gateway API's header modifier: set (replace), add (append to what is there), remove; names case-insensitive.</summary>
internal sealed class HeaderEdits(ImmutableArray<KeyValuePair<string, string>> set, ImmutableArray<KeyValuePair<string, string>> add, ImmutableArray<string> remove)
    : IEquatable<HeaderEdits>
{
    public ImmutableArray<KeyValuePair<string, string>> Set => set;

    public ImmutableArray<KeyValuePair<string, string>> Add => add;

    public ImmutableArray<string> Remove => remove;

    public bool Equals(HeaderEdits? other) =>
        other is not null && Set.SequenceEqual(other.Set) && Add.SequenceEqual(other.Add) && Remove.SequenceEqual(other.Remove);

    public override bool Equals(object? obj) => Equals(obj as HeaderEdits);

    public override int GetHashCode() => HashCode.Combine(Set.Length, Add.Length, Remove.Length);
}
