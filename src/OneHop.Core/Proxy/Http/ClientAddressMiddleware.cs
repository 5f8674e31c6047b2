using System.Globalization;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// First in the pipeline: on a connection from a proxy the routing in force trusts
/// (<see cref="ForwardedHeadersConfig.TrustedProxies"/>, from the config file or ingress-nginx's ConfigMap), the
/// request's client address becomes the one the proxy's header names, so that everything after (allow lists, rate and
/// connection limits, hashing, external auth, the access log, traces, X-Forwarded-For and X-Real-IP) sees the real
/// client; with the proxy's X-Forwarded-* believed, its X-Forwarded-Proto becomes the request's scheme. A request from
/// anyone else, or with no trusted proxies, passes untouched and costs one read of the routing.
/// </summary>
/// <remarks>
/// Kestrel sets each request's remote address from its connection anew, so a kept-alive connection's next request
/// starts from the proxy's address again.
/// </remarks>
internal sealed class ClientAddressMiddleware(RequestDelegate next, HttpDataPlane dataPlane)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (dataPlane.Routing.Forwarded.TrustedProxies is { } trusted)
        {
            Resolve(context, trusted);
        }

        return next(context);
    }

    internal static void Resolve(HttpContext context, TrustedProxiesConfig trusted)
    {
        var connection = context.Connection;
        if (connection.RemoteIpAddress is not { } peer || !trusted.Trusts(peer))
        {
            return;
        }

        var request = context.Request;
        var headers = request.Headers;
        string? host = null;
        string? port = null;
        if (trusted.TrustsXForwarded)
        {
            if (ForwardedScheme.Read(headers, ClientSchemeSource.XForwardedProto) is { } scheme)
            {
                context.Features.Set(new ConnectionScheme(request.Scheme));
                request.Scheme = scheme;
            }

            host = FirstHost(headers[ClientIdentity.Host].ToString());
            var sentPort = headers[ClientIdentity.Port].ToString().Trim();
            port = ushort.TryParse(sentPort, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? sentPort : null;
        }

        var received = headers[ClientIdentity.For];
        var forwardedFor = !trusted.AppendsForwardedFor ? null
            : received.Count == 0 ? peer.ToString()
            : $"{string.Join(", ", received.ToArray())}, {peer}";
        context.Features.Set(new ForwardedClient(peer, host, port, forwardedFor));
        connection.RemoteIpAddress = ForwardedClientAddress.Resolve(peer, headers[trusted.Header], trusted);
    }

    /// <summary>ingress-nginx's host from X-Forwarded-Host: its first element; null when empty or not a host[:port].</summary>
    private static string? FirstHost(string value)
    {
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        var first = (comma < 0 ? value : value[..comma]).Trim();
        return first.Length > 0 && HostString.FromUriComponent(first).Host is { Length: > 0 } && first.All(c => c > ' ' && c < 0x7F && c != '/' && c != '\\' && c != '@')
            ? first
            : null;
    }
}
