using System.Text;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Routing;
using OneHop.Core.Tls;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// ingress-nginx's client certificate headers towards the pod, as its template sets them from nginx's variables
/// (<c>$ssl_client_verify</c>, <c>$ssl_client_s_dn</c>, <c>$ssl_client_i_dn</c>, <c>$ssl_client_escaped_cert</c>).
/// Written on the inbound request, so both forwarders send them.
/// </summary>
internal static class ClientCertificateHeaders
{
    public const string Verify = "ssl-client-verify";
    public const string Subject = "ssl-client-subject-dn";
    public const string Issuer = "ssl-client-issuer-dn";
    public const string Certificate = "ssl-client-cert";

    public static void Set(HttpContext context, RouteClientCertificate settings)
    {
        var headers = context.Request.Headers;

        // nginx's proxy_set_header replaces the client's values: a pod may trust these.
        headers.Remove(Subject);
        headers.Remove(Issuer);
        headers.Remove(Certificate);

        // SUCCESS only for a certificate the host's CA verified on this request (TlsPolicyMiddleware), FAILED:reason for
        // one optional_no_ca let through; NONE otherwise, as nginx says when no certificate was asked for or sent.
        if (context.Features.Get<VerifiedClientCertificate>() is not { } verified)
        {
            headers[Verify] = "NONE";
            return;
        }

        headers[Verify] = verified.Result;
        headers[Subject] = Wire(verified.Subject);
        headers[Issuer] = Wire(DistinguishedNames.Rfc2253(verified.Certificate.IssuerName));
        if (settings.PassCertificate)
        {
            // $ssl_client_escaped_cert: the PEM with its final newline, URL-encoded.
            headers[Certificate] = Uri.EscapeDataString(verified.Certificate.ExportCertificatePem() + "\n");
        }
    }

    /// <summary>
    /// A name's UTF-8 bytes, one character each: the forwarders write header values as Latin-1
    /// (<see cref="HeaderEncodings"/>), so the pod gets the UTF-8 nginx sends.
    /// </summary>
    private static string Wire(string value) => Ascii.IsValid(value) ? value : Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(value));
}
