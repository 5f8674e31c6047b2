using System.Globalization;
using OneHop.Core.Configuration;

namespace OneHop.Core.Routing.L4;

/// <summary>
/// One entry of ingress-nginx's tcp-services or udp-services ConfigMap: the key is the port to listen on, the value
/// <c>namespace/service:port[:PROXY][:PROXY]</c>, where the first PROXY decodes PROXY protocol from clients and the
/// second sends it (v1, as nginx's stream module does) to the pods.
/// </summary>
internal static class ServicesConfigMap
{
    /// <summary>The entry's port and route; null with the reason when it is not valid.</summary>
    public static (int Port, L4RouteConfig Route)? Parse(string key, string? value, string field, bool udp, out string? error)
    {
        error = null;
        if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"the key '{key}' is not a port from 1 to 65535 to listen on";
            return null;
        }

        var parts = (value ?? string.Empty).Trim().Split(':');
        if (parts.Length is < 2 or > 4)
        {
            error = $"'{value}' is not namespace/service:port[:PROXY][:PROXY]";
            return null;
        }

        if (ServicePortRef.Parse($"{parts[0]}:{parts[1]}", out var refError) is not { } service)
        {
            error = refError;
            return null;
        }

        var decode = parts.Length > 2 ? parts[2] : string.Empty;
        var send = parts.Length > 3 ? parts[3] : string.Empty;
        if ((decode.Length > 0 && !IsProxy(decode)) || (send.Length > 0 && !IsProxy(send)))
        {
            error = $"'{value}': after the port only PROXY (or nothing) may follow, twice at most";
            return null;
        }

        if (decode.Length > 0)
        {
            // ingress-nginx trusts a PROXY header from anyone here; OneHop reads one only from networks it is told to trust.
            error = $"'{value}': reading PROXY protocol from clients needs the networks allowed to send it; declare this port as a config listener with proxyProtocol.trustedCidrs";
            return null;
        }

        if (send.Length > 0 && udp)
        {
            error = $"'{value}': PROXY protocol to pods is written on TCP connections; a UDP service cannot send it";
            return null;
        }

        return (port, new L4RouteConfig([], service, null, send.Length > 0 ? ProxyProtocolVersion.V1 : null, field));
    }

    private static bool IsProxy(string text) => text.Equals("PROXY", StringComparison.OrdinalIgnoreCase);
}
