using System.Globalization;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration;
using OneHop.Core.Routing.Tls;
using OneHop.Core.Tls;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Per-host TLS behaviour at the HTTP layer, before routing: plain-HTTP requests for TLS hosts are redirected to
/// HTTPS (308 keeps the method and body) at the public HTTPS port, HTTPS responses carry HSTS, and hosts that
/// require client certificates check them here too — SNI picks the certificate but Host picks the route, so a client
/// must not dodge the requirement by naming another host in its handshake. "Plain HTTP" is the client's scheme: a
/// trusted proxy in front may have said otherwise (<see cref="ClientSchemeMiddleware"/>).
/// </summary>
internal sealed class TlsPolicyMiddleware(RequestDelegate next, HttpDataPlane dataPlane, CertificateStore certificates, EdgeSettings edge)
{
    /// <summary>The port browsers assume for https://, left out of the Location.</summary>
    public const int DefaultHttpsPort = 443;

    /// <summary>ACME HTTP-01 challenges must be answered over plain HTTP (cert-manager's solver), as ingress-nginx lets them.</summary>
    private static readonly PathString AcmeChallenge = new("/.well-known/acme-challenge");

    public Task InvokeAsync(HttpContext context)
    {
        var routing = dataPlane.Routing;
        var policies = routing.HostPolicies;
        if (policies.IsEmpty)
        {
            return next(context);
        }

        var request = context.Request;
        var policy = policies.For(request.Host.Value);
        if (policy is null)
        {
            return next(context);
        }

        if (!request.IsHttps)
        {
            if (Redirects(policy) && !request.Path.StartsWithSegments(AcmeChallenge, StringComparison.Ordinal))
            {
                var port = policy.RedirectPort ?? routing.RedirectPort ?? DefaultHttpsPort;
                var host = HostRules.Normalize(request.Host.Value).ToString();
                var authority = port == DefaultHttpsPort ? host : string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
                context.Response.StatusCode = routing.HttpsRedirectStatus;
                context.Response.Headers.Location = $"https://{authority}{request.PathBase}{request.Path}{request.QueryString}";
                return Task.CompletedTask;
            }

            // No certificate over plain HTTP: a host that checks the certificate's subject refuses it, as nginx's server does.
            return policy.ClientSubjectPattern is null ? next(context) : Refuse(context, "403 Forbidden: client certificate unauthorized\n");
        }

        VerifiedClientCertificate? verified = null;
        if (policy.ClientCaPem is not null && certificates.Current.ClientCaFor(HostRules.Normalize(request.Host.Value)) is { } ca)
        {
            // The Host's policy decides, whatever name the handshake was for. Cached: the handshake for this host
            // verified the certificate with the intermediates the client sent.
            var certificate = context.Connection.ClientCertificate;
            if (certificate is null)
            {
                // optional and optional_no_ca let a client without one through: the pod gets ssl-client-verify: NONE.
                if (policy.ClientVerify is null or "on")
                {
                    return RefuseCertificate(context, policy, sent: false);
                }
            }
            else if (certificates.ClientCertificates.Verify(ca, certificate, out var reason))
            {
                verified = new VerifiedClientCertificate(certificate);
            }
            else if (policy.ClientVerify == "optional_no_ca" && ClientCertificateVerifier.UnknownCa(reason!))
            {
                verified = new VerifiedClientCertificate(certificate, "FAILED:" + reason);
            }
            else
            {
                return RefuseCertificate(context, policy, sent: true);
            }

            if (verified is not null)
            {
                context.Features.Set(verified);
            }
        }

        if (policy.ClientSubjectPattern is not null
            && (verified is null || policies.ClientSubject(request.Host.Value) is not { } subject || !subject.IsMatch(verified.Subject)))
        {
            // ingress-nginx's auth-tls-match-cn: nginx's "if ($ssl_client_s_dn !~ PATTERN) return 403".
            return Refuse(context, "403 Forbidden: client certificate unauthorized\n");
        }

        if (policy.Hsts is { } hsts)
        {
            context.Response.Headers.StrictTransportSecurity = hsts;
        }

        return next(context);
    }

    /// <summary>
    /// A request without an acceptable client certificate (<paramref name="sent"/>: a bad one, else none): redirected to
    /// auth-tls-error-page (nginx's error_page 495 496); else nginx's 400s (its 496 and 495, answered as 400) where
    /// ingress-nginx's rule let the client through the handshake; else 403 (a handshake for another name, whose host
    /// asked for no certificate or another CA's).
    /// </summary>
    private static Task RefuseCertificate(HttpContext context, HostPolicy policy, bool sent)
    {
        if (policy.ClientErrorPage is { } page)
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = page;
            return Task.CompletedTask;
        }

        if (policy.ClientVerify is null)
        {
            return Refuse(context, "403 Forbidden: this host requires a client certificate from its trusted CA\n");
        }

        return Refuse(context, sent ? "400 Bad Request: The SSL certificate error\n" : "400 Bad Request: No required SSL certificate was sent\n", StatusCodes.Status400BadRequest);
    }

    private static Task Refuse(HttpContext context, string message, int status = StatusCodes.Status403Forbidden)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message);
    }

    /// <summary>A TLS host redirects when OneHop serves HTTPS itself; a force-ssl-redirect host always (TLS is in front).</summary>
    private bool Redirects(HostPolicy policy) => policy.ForceSslRedirect || (policy.SslRedirect && edge.HttpsPort is not null);
}
