namespace OneHop.Core.Routing;

/// <summary>
/// One backend of a route that splits traffic by weight (Gateway API backendRefs). A null <paramref name="BackendId"/>
/// is a reference that does not resolve: its share of requests is answered 500, as the spec requires.
/// </summary>
internal sealed record RouteBackend(string? BackendId, int Weight, string? Problem = null)
{
    /// <summary>The filters of the requests sent to this backend alone (a backendRef's <c>filters</c>: header edits, URLRewrite, RequestRedirect), after the rule's; null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RouteFilters? Filters { get; init; }
}
