namespace OneHop.Core.Routing;

/// <summary>
/// What nginx's <c>proxy_redirect</c>, <c>proxy_cookie_domain</c> and <c>proxy_cookie_path</c> change in a pod's answer:
/// the Location and Refresh headers, and the Domain and Path attributes of each Set-Cookie.
/// </summary>
/// <param name="Redirect">The rewrite of Location, and of Refresh's <c>url=</c>; null for none.</param>
/// <param name="CookieDomain">The rewrite of Set-Cookie's Domain; null for none.</param>
/// <param name="CookiePath">The rewrite of Set-Cookie's Path; null for none.</param>
internal sealed record RouteResponseRewrite(ValueRewrite? Redirect, ValueRewrite? CookieDomain, ValueRewrite? CookiePath);
