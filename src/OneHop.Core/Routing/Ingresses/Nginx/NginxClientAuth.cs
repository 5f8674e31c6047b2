namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>auth-tls-*</c>: client certificates on the Ingress's TLS hosts. <paramref name="Secret"/> is
/// <c>namespace/name</c> of a Secret with the CA bundle under <c>ca.crt</c>; <paramref name="Verify"/> is
/// <c>auth-tls-verify-client: on</c> (off asks for no certificate); <paramref name="MatchSubject"/> is the regular
/// expression <c>auth-tls-match-cn</c> gives for the certificate's subject; <paramref name="PassCertificate"/> sends the
/// certificate to the pods in <c>ssl-client-cert</c>.
/// </summary>
internal sealed record NginxClientAuth(string Secret, bool Verify, string? MatchSubject, bool PassCertificate)
{
    /// <summary>
    /// <c>auth-tls-verify-depth</c>: the most intermediates between a client certificate and a CA of ca.crt, as OpenSSL
    /// counts them (ingress-nginx's default, and its reading of 0, is 1).
    /// </summary>
    public int VerifyDepth { get; init; } = 1;

    /// <summary><c>auth-tls-verify-client: optional</c> or <c>optional_no_ca</c>; null for on (or off).</summary>
    public string? Optional { get; init; }

    /// <summary><c>auth-tls-error-page</c>: the absolute URL a refused client is redirected to.</summary>
    public string? ErrorPage { get; init; }

    /// <summary>The Secret's name without its namespace (checked to be the Ingress's own by the compiler).</summary>
    public string SecretName => Secret[(Secret.IndexOf('/', StringComparison.Ordinal) + 1)..];
}
