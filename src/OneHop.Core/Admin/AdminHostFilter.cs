using System.Net;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Proxy.Http;

namespace OneHop.Core.Admin;

/// <summary>
/// The admin API answers only for Hosts it is reached by on purpose: loopback names, the configured admin address,
/// names from <c>--admin-host</c>/<c>admin.hosts</c>, and an IP literal that is the address the connection came in on.
/// A DNS-rebinding page in a browser on the host sends its own name as Host, so it gets 421 and cannot read routes,
/// pod addresses or metrics. An IP literal cannot be rebound (the page would have to be served from that very
/// origin), which is why the listener's own address is allowed: the kubelet's probes and Prometheus send the pod IP as
/// Host, so /healthz, /readyz and /metrics keep working without exempting any path. A request without Host (HTTP/1.0,
/// HAProxy's default httpchk) is no browser's and is answered.
/// </summary>
internal sealed class AdminHostFilter
{
    private readonly HashSet<string> _names;

    public AdminHostFilter(IPAddress? adminAddress, IEnumerable<string> extraNames)
    {
        _names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "[::1]" };
        if (adminAddress is not null && !adminAddress.Equals(IPAddress.Any) && !adminAddress.Equals(IPAddress.IPv6Any))
        {
            _names.Add(Literal(adminAddress));
        }

        foreach (var name in extraNames)
        {
            _names.Add(Literal(name));
        }
    }

    public Task InvokeAsync(HttpContext context, RequestDelegate next) =>
        Allows(context)
            ? next(context)
            : ErrorResponses.WriteAsync(
                context,
                StatusCodes.Status421MisdirectedRequest,
                ErrorCodes.AdminHost,
                "the admin API answers only for localhost, 127.0.0.1, [::1], its own address and the names given with --admin-host or admin.hosts");

    private bool Allows(HttpContext context)
    {
        var host = context.Request.Host.Host.TrimEnd('.');
        if (host.Length == 0 || _names.Contains(host))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            && context.Connection.LocalIpAddress is { } local
            && Normalize(literal).Equals(Normalize(local));
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>How the address appears in a Host header: IPv6 in brackets.</summary>
    private static string Literal(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    private static string Literal(string name) =>
        IPAddress.TryParse(name.Trim('[', ']'), out var address) ? Literal(address) : name.TrimEnd('.');
}
