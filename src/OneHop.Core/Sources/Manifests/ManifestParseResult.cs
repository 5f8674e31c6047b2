using System.Collections.Immutable;
using OneHop.Core.Diagnostics;

namespace OneHop.Core.Sources.Manifests;

/// <summary>What one manifest file holds. <see cref="Failed"/> means at least one document could not be read.</summary>
internal sealed record ManifestParseResult(
    ImmutableArray<ParsedObject> Objects,
    ImmutableArray<SkippedDocument> Skipped,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Failed => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
