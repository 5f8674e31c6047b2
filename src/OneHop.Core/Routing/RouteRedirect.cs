namespace OneHop.Core.Routing;

/// <summary>
/// Gateway API's RequestRedirect: OneHop answers itself with <see cref="StatusCode"/> and a Location built from the
/// request with these parts replaced. A null part keeps the request's (the port follows the scheme when only the scheme
/// changes, as the spec says).
/// </summary>
internal sealed record RouteRedirect(string? Scheme, string? Host, int? Port, PathModifier? Path, int StatusCode);
