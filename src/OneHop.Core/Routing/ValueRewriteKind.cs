namespace OneHop.Core.Routing;

/// <summary>How a <see cref="ValueRewrite"/> written as plain text matches, as nginx's directive of the same name does.</summary>
internal enum ValueRewriteKind
{
    /// <summary><c>proxy_redirect</c> and <c>proxy_cookie_path</c>: the value starts with the text (case-sensitive); that start is replaced.</summary>
    Prefix,

    /// <summary><c>proxy_cookie_domain</c>: the whole value, without case and without a leading dot on either side, is replaced.</summary>
    Domain,
}
