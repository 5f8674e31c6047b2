namespace OneHop.Core.Routing;

/// <summary>What a route does to a request and its response besides choosing a backend (Gateway API filters).</summary>
/// <param name="Request">Header edits before forwarding.</param>
/// <param name="Response">Header edits on the pod's answer.</param>
/// <param name="Rewrite">Host and path rewrite before forwarding.</param>
/// <param name="Redirect">OneHop answers with a redirect instead of forwarding.</param>
/// <param name="MirrorBackendId">A backend that gets a copy of each request (answers ignored).</param>
internal sealed record RouteFilters(
    HeaderEdits? Request = null,
    HeaderEdits? Response = null,
    RouteRewrite? Rewrite = null,
    RouteRedirect? Redirect = null,
    string? MirrorBackendId = null)
{
    /// <summary>Filters that change what is forwarded (the rest is answered or applied to the response).</summary>
    public bool EditsRequest => Request is not null || Rewrite is not null;
}
