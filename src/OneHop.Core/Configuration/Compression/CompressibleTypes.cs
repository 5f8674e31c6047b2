using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OneHop.Core.Configuration.Compression;

/// <summary>
/// The media types a coding compresses: <c>type/subtype</c> exactly (case ignored, parameters such as <c>charset</c>
/// not compared), <c>type/*</c> for a whole type, <c>*</c> for every answer with a Content-Type. Matching allocates nothing.
/// </summary>
[JsonConverter(typeof(CompressibleTypesJsonConverter))]
internal sealed class CompressibleTypes : IEquatable<CompressibleTypes>
{
    /// <summary>
    /// text/html and ingress-nginx's gzip-types default (text, scripts, styles, JSON, XML, SVG, fonts without their own
    /// compression), with the text types ASP.NET Core's compression adds (text/xml, text/json, application/wasm).
    /// </summary>
    public static readonly CompressibleTypes Default = Of([
        "text/html", "text/plain", "text/css", "text/javascript", "text/xml", "text/json", "text/x-component",
        "application/javascript", "application/x-javascript", "application/json", "application/xml", "application/xhtml+xml",
        "application/atom+xml", "application/rss+xml", "application/x-web-app-manifest+json", "application/manifest+json",
        "application/vnd.ms-fontobject", "application/x-font-ttf", "application/wasm", "font/opentype", "image/svg+xml", "image/x-icon",
    ]);

    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly bool _any;

    private CompressibleTypes(ImmutableArray<string> entries)
    {
        Entries = entries;
        _any = entries.Contains("*");
        _lookup = entries.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The types as written.</summary>
    public ImmutableArray<string> Entries { get; }

    /// <summary>A list of types the caller checked with <see cref="Problem"/>.</summary>
    public static CompressibleTypes Of(IEnumerable<string> types) => new([.. types.Distinct(StringComparer.OrdinalIgnoreCase)]);

    /// <summary>Why <paramref name="type"/> cannot be an entry; null when it can.</summary>
    public static string? Problem(string type)
    {
        if (type == "*")
        {
            return null;
        }

        var slash = type.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == type.Length - 1 || type.AsSpan(slash + 1).Contains('/') || type.AsSpan().ContainsAny(" \t;,\"")
            ? $"'{type}' is not a media type such as text/html, a whole type such as text/*, or *"
            : type.AsSpan(0, slash).Contains('*') || (type.AsSpan(slash + 1).Contains('*') && type[(slash + 1)..] != "*")
                ? $"'{type}' has a * that is not the whole subtype (text/*) or the whole entry (*)"
                : null;
    }

    /// <summary>True when an answer of <paramref name="contentType"/> (a Content-Type value, parameters and all) is compressed.</summary>
    public bool Matches(ReadOnlySpan<char> contentType)
    {
        var end = contentType.IndexOf(';');
        var type = (end < 0 ? contentType : contentType[..end]).Trim();
        if (type.IsEmpty)
        {
            return false;
        }

        if (_any || _lookup.Contains(type))
        {
            return true;
        }

        // "text/*": the type and "/*", compared without building the string.
        var slash = type.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        Span<char> whole = stackalloc char[Math.Min(slash + 2, 128)];
        if (slash + 2 > whole.Length)
        {
            return false;
        }

        type[..(slash + 1)].CopyTo(whole);
        whole[slash + 1] = '*';
        return _lookup.Contains(whole);
    }

    public bool Equals(CompressibleTypes? other) => other is not null && Entries.SequenceEqual(other.Entries);

    public override bool Equals(object? obj) => Equals(obj as CompressibleTypes);

    public override int GetHashCode() => Entries.Length;
}
