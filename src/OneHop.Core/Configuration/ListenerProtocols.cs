namespace OneHop.Core.Configuration;

/// <summary>The names of listener protocols as the config file writes them, and which transport each uses.</summary>
internal static class ListenerProtocols
{
    /// <summary>Every name, in the order the docs list them.</summary>
    public static readonly IReadOnlyList<(string Name, ListenerProtocol Protocol)> All =
    [
        ("http", ListenerProtocol.Http), ("https", ListenerProtocol.Https), ("h2c", ListenerProtocol.H2c),
        ("tcp", ListenerProtocol.Tcp), ("udp", ListenerProtocol.Udp), ("tls-passthrough", ListenerProtocol.TlsPassthrough),
    ];

    public static ListenerProtocol? Parse(string name)
    {
        foreach (var (known, protocol) in All)
        {
            if (known == name)
            {
                return protocol;
            }
        }

        return null;
    }

    public static string Name(ListenerProtocol protocol) => All.First(p => p.Protocol == protocol).Name;

    /// <summary>True for listeners that carry connections or datagrams to pods as they are (L4), not HTTP requests.</summary>
    public static bool IsL4(this ListenerProtocol protocol) => protocol is ListenerProtocol.Tcp or ListenerProtocol.Udp or ListenerProtocol.TlsPassthrough;

    /// <summary>True for UDP; every other listener is TCP underneath, and two listeners clash only on the same transport.</summary>
    public static bool IsUdp(this ListenerProtocol protocol) => protocol == ListenerProtocol.Udp;
}
