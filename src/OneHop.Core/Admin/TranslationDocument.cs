using System.Collections.Immutable;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;

namespace OneHop.Core.Admin;

/// <summary>A translation as JSON: <c>onehop validate --output json</c> and the golden files of the tests.</summary>
internal sealed record TranslationDocument(RoutingSnapshot Snapshot, ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<IgnoredObject> Ignored)
{
    public static TranslationDocument Of(TranslationResult result, IEnumerable<Diagnostic> sourceDiagnostics) =>
        new(result.Snapshot, [.. sourceDiagnostics, .. result.Diagnostics], result.Ignored);
}
