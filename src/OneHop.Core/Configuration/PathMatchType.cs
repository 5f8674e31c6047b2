namespace OneHop.Core.Configuration;

/// <summary>
/// How a route's path matches. Ingress <c>ImplementationSpecific</c> compiles to <see cref="Prefix"/> (documented).
/// </summary>
internal enum PathMatchType
{
    /// <summary>The request path equals the route path, case-sensitively; <c>/foo</c> does not match <c>/foo/</c>.</summary>
    Exact,

    /// <summary>Element-wise prefix on <c>/</c>-separated segments; a trailing <c>/</c> in the rule is ignored.</summary>
    Prefix,
}
