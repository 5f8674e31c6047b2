using System.Collections.Immutable;
using OneHop.Core.Configuration;

namespace OneHop.Core.Sources.Manifests;

/// <summary>
/// What the directory source remembers about one file: how it looked when last read, what it parsed to, and the
/// objects of its last version that parsed without error.
/// </summary>
internal sealed record ManifestFile(
    FileStamp Stamp,
    string ContentHash,
    ManifestParseResult Parse,
    ImmutableArray<ParsedObject>? LastGood,
    DateTimeOffset LastGoodAt)
{
    /// <summary>
    /// The objects this file contributes now. A file that fails keeps its last good version whole, so a half-saved
    /// edit never removes routes; a file that never parsed cleanly contributes the documents that did.
    /// </summary>
    public ImmutableArray<ParsedObject> Objects => Parse.Failed ? LastGood ?? Parse.Objects : Parse.Objects;
}
