namespace OneHop.Core.Routing.Tls;

/// <summary>TLS edge settings of an Ingress, from annotations; null means "the default".</summary>
internal sealed record TlsAnnotations(bool? SslRedirect, string? Hsts, string? ClientCaSecret)
{
    public const string SslRedirectKey = "onehop.dev/ssl-redirect";
    public const string HstsKey = "onehop.dev/hsts";
    public const string ClientCaSecretKey = "onehop.dev/client-ca-secret";

    public static readonly TlsAnnotations None = new(null, null, null);
}
