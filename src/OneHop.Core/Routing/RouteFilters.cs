namespace OneHop.Core.Routing;

/// <summary>What a route does to a request and its response besides choosing a backend (Gateway API filters).</summary>
/// <param name="Request">Header edits before forwarding.</param>
/// <param name="Response">Header edits on the pod's answer.</param>
/// <param name="Rewrite">Host and path rewrite before forwarding.</param>
/// <param name="Redirect">OneHop answers with a redirect instead of forwarding.</param>
internal sealed record RouteFilters(
    HeaderEdits? Request = null,
    HeaderEdits? Response = null,
    RouteRewrite? Rewrite = null,
    RouteRedirect? Redirect = null);
