using System.Collections.Immutable;
using System.Text.Json.Serialization;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Routing.GatewayApi;

namespace OneHop.Core.Admin;

/// <summary>A translation as JSON: <c>onehop validate --output json</c> and the golden files of the tests.</summary>
internal sealed record TranslationDocument(RoutingSnapshot Snapshot, ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<IgnoredObject> Ignored)
{
    /// <summary>The status OneHop gives its Gateway API objects; absent when there are none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GatewayApiStatus? GatewayApi { get; init; }

    public static TranslationDocument Of(TranslationResult result, IEnumerable<Diagnostic> sourceDiagnostics) =>
        new(result.Snapshot, [.. sourceDiagnostics, .. result.Diagnostics], result.Ignored)
        {
            GatewayApi = result.GatewayStatus == GatewayApiStatus.Empty ? null : result.GatewayStatus,
        };
}
