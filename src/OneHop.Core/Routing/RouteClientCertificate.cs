namespace OneHop.Core.Routing;

/// <summary>
/// The client certificate told to the pod in ingress-nginx's headers (<c>auth-tls-secret</c>): ssl-client-verify,
/// ssl-client-subject-dn and ssl-client-issuer-dn, and with <paramref name="PassCertificate"/>
/// (<c>auth-tls-pass-certificate-to-upstream</c>) the certificate itself in ssl-client-cert. A client's own copies of
/// these headers never reach the pod.
/// </summary>
internal sealed record RouteClientCertificate(bool PassCertificate);
