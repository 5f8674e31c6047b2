using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// What pods learn about the client: X-Forwarded-For/Proto/Host/Port (with X-Real-IP, which ingress-nginx always sets
/// and pods behind it read) and RFC 7239 Forwarded, each set, appended or left alone as configured (the same for
/// every forwarder). When only one family is on, the client's copy of the
/// other is dropped: a pod may trust it as much (Spring's ForwardedHeaderFilter prefers Forwarded, so a spoofed one
/// would win over OneHop's X-Forwarded-For). With both off both pass as sent, e.g. from a trusted proxy in front.
/// The formats are YARP's, which pods and the tests already know.
/// </summary>
internal static class ClientIdentity
{
    public const string For = "X-Forwarded-For";
    public const string Proto = "X-Forwarded-Proto";
    public const string Host = "X-Forwarded-Host";
    public const string Port = "X-Forwarded-Port";
    public const string Prefix = "X-Forwarded-Prefix";
    public const string Forwarded = "Forwarded";

    /// <summary>One address, so it cannot be appended to: OneHop's when the family is set, the trusted front's when appended.</summary>
    public const string RealIp = "X-Real-IP";

    /// <summary>True when the client's header <paramref name="name"/> must not be copied to the pod.</summary>
    public static bool Skips(string name, ForwardedHeadersConfig config)
    {
        var (x, rfc) = (config.XForwarded, config.Forwarded);
        if (name.Equals(Forwarded, StringComparison.OrdinalIgnoreCase))
        {
            // Written by OneHop (set, or appended to), or dropped because OneHop vouches for the other family.
            return rfc != ForwardedAction.Off || x != ForwardedAction.Off;
        }

        if (name.Equals(RealIp, StringComparison.OrdinalIgnoreCase))
        {
            return x == ForwardedAction.Set || (x == ForwardedAction.Off && rfc != ForwardedAction.Off);
        }

        if (!name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return x switch
        {
            ForwardedAction.Set => true,

            // Appended to: written whole by OneHop. A client's prefix passes (OneHop has none to add).
            ForwardedAction.Append => !name.Equals(Prefix, StringComparison.OrdinalIgnoreCase),
            _ => rfc != ForwardedAction.Off,
        };
    }

    /// <summary>Calls <paramref name="add"/> with each header OneHop writes for this request.</summary>
    public static void Write<TState>(HttpContext context, ForwardedHeadersConfig config, TState state, Action<TState, string, string> add)
    {
        var request = context.Request;
        var connection = context.Connection;
        if (config.XForwarded != ForwardedAction.Off)
        {
            var append = config.XForwarded == ForwardedAction.Append;
            var trusted = Trusted(context, config);
            var client = connection.RemoteIpAddress?.ToString() ?? "unknown";

            // Appended to: this hop is the peer, the proxy in front when it is trusted.
            add(state, For, trusted?.ForwardedFor ?? (append ? Joined(request, For, true, trusted?.Peer.ToString() ?? client) : client));
            if (!append)
            {
                add(state, RealIp, client);
            }
            // Appended to: this hop's own scheme, where a trusted proxy's header made the request's the client's.
            add(state, Proto, Joined(request, Proto, append, append && context.Features.Get<ConnectionScheme>() is { } own ? own.Value : request.Scheme));
            add(state, Host, Joined(request, Host, append, (append ? null : trusted?.Host) ?? ClientHost(context)));
            add(state, Port, Joined(request, Port, append, (append ? null : trusted?.Port) ?? connection.LocalPort.ToString(CultureInfo.InvariantCulture)));
        }

        // A route's own prefix; where the client's copy passes untouched, the route's edit already replaced it.
        if (context.Features.Get<ProxyRequest>()?.ForwardedPrefix is { } prefix && Skips(Prefix, config))
        {
            add(state, Prefix, prefix);
        }

        if (config.Forwarded != ForwardedAction.Off)
        {
            var element = $"proto={request.Scheme};host=\"{ClientHost(context)}\";for=\"{Node(connection.RemoteIpAddress, connection.RemotePort)}\"";
            add(state, Forwarded, Joined(request, Forwarded, config.Forwarded == ForwardedAction.Append, element));
        }
    }

    /// <summary>What a trusted proxy in front said about the client; null without (and without a lookup when none is trusted).</summary>
    public static ForwardedClient? Trusted(HttpContext context, ForwardedHeadersConfig config) =>
        config.TrustedProxies is null ? null : context.Features.Get<ForwardedClient>();

    /// <summary>The Host the client asked for, also after a route's URLRewrite gave the pod another one.</summary>
    public static string ClientHost(HttpContext context) =>
        context.Features.Get<ProxyRequest>()?.HostBeforeRewrite ?? context.Request.Host.Value ?? string.Empty;

    private static string Joined(HttpRequest request, string name, bool append, string value) =>
        append && request.Headers[name] is { Count: > 0 } existing ? $"{string.Join(", ", existing.ToArray())}, {value}" : value;

    /// <summary>An RFC 7239 node: <c>ip:port</c>, IPv6 bracketed.</summary>
    private static string Node(IPAddress? address, int port) => address is null
        ? "unknown"
        : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{address}:{port}");
}
