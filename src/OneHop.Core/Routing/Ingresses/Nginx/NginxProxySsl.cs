namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>proxy-ssl-*</c>: TLS towards the pods of an Ingress whose <c>backend-protocol</c> is HTTPS or
/// GRPCS. <paramref name="Secret"/> is <c>namespace/name</c> (ca.crt to verify the pods, tls.crt and tls.key to present);
/// <paramref name="Name"/> is checked against the pod's certificate and, with <paramref name="SendName"/>, sent as SNI;
/// <paramref name="Protocols"/> are the TLS versions offered, space-separated.
/// </summary>
internal sealed record NginxProxySsl(string Secret, bool Verify, string? Name, bool SendName, int VerifyDepth, string Protocols)
{
    /// <summary>The suites offered to the pods (<c>proxy-ssl-ciphers</c> by name, IANA's names joined by ':'); null for the system's.</summary>
    public string? Ciphers { get; init; }
}
