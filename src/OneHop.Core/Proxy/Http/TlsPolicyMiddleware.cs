using System.Globalization;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration;
using OneHop.Core.Tls;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Per-host TLS behaviour at the HTTP layer, before routing: plain-HTTP requests for TLS hosts are redirected to
/// HTTPS (308 keeps the method and body), HTTPS responses carry HSTS, and hosts that require client certificates
/// check them here too — SNI picks the certificate but Host picks the route, so a client must not dodge the
/// requirement by naming another host in its handshake.
/// </summary>
internal sealed class TlsPolicyMiddleware(RequestDelegate next, HttpDataPlane dataPlane, CertificateStore certificates, EdgeSettings edge)
{
    public Task InvokeAsync(HttpContext context)
    {
        var policies = dataPlane.HostPolicies;
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
            if (policy.SslRedirect && edge.HttpsPort is { } port)
            {
                var host = HostRules.Normalize(request.Host.Value).ToString();
                var authority = port == 443 ? host : string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
                context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
                context.Response.Headers.Location = $"https://{authority}{request.PathBase}{request.Path}{request.QueryString}";
                return Task.CompletedTask;
            }

            return next(context);
        }

        if (policy.ClientCaPem is not null
            && certificates.Current.ClientCaFor(HostRules.Normalize(request.Host.Value)) is { } trusted
            && !ClientCertificates.IsTrusted(context.Connection.ClientCertificate, trusted))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("403 Forbidden: this host requires a client certificate from its trusted CA\n");
        }

        if (policy.Hsts is { } hsts)
        {
            context.Response.Headers.StrictTransportSecurity = hsts;
        }

        return next(context);
    }
}
