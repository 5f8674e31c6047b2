namespace OneHop.Core.Routing.Ingresses;

/// <summary>TLS edge settings of an Ingress, from annotations; null means "the default".</summary>
internal sealed record TlsAnnotations(bool? SslRedirect, string? Hsts, string? ClientCaSecret)
{
    public const string SslRedirectKey = "onehop.dev/ssl-redirect";
    public const string SslRedirectPortKey = "onehop.dev/ssl-redirect-port";
    public const string ForceSslRedirectKey = "onehop.dev/force-ssl-redirect";
    public const string HstsKey = "onehop.dev/hsts";
    public const string ClientCaSecretKey = "onehop.dev/client-ca-secret";

    public static readonly TlsAnnotations None = new(null, null, null);

    /// <summary>The public HTTPS port redirects name, for this Ingress's hosts.</summary>
    public int? RedirectPort { get; init; }

    /// <summary>Redirect plain HTTP for every rule host, with or without <c>spec.tls</c> (TLS terminated in front).</summary>
    public bool ForceSslRedirect { get; init; }

    /// <summary>The annotation <see cref="ClientCaSecret"/> came from: OneHop's, or ingress-nginx's <c>auth-tls-secret</c>.</summary>
    public string ClientCaField { get; init; } = $"metadata.annotations[{ClientCaSecretKey}]";

    /// <summary>A regular expression the client certificate's RFC 2253 subject must contain (ingress-nginx's <c>auth-tls-match-cn</c>); null for any.</summary>
    public string? ClientSubjectPattern { get; init; }

    /// <summary>The most intermediates below the client CA (ingress-nginx's <c>auth-tls-verify-depth</c>); null for any.</summary>
    public int? ClientVerifyDepth { get; init; }

    /// <summary>
    /// ingress-nginx's <c>auth-tls-verify-client</c>: <c>on</c>, <c>optional</c> or <c>optional_no_ca</c>, each checked at the
    /// request as nginx does; null (OneHop's own annotation) requires a certificate at the handshake.
    /// </summary>
    public string? ClientVerify { get; init; }

    /// <summary>Where a refused client is redirected (ingress-nginx's <c>auth-tls-error-page</c>); null for none.</summary>
    public string? ClientErrorPage { get; init; }
}
