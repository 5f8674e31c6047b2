namespace OneHop.Core.Configuration;

/// <summary>A listener of the data plane.</summary>
/// <param name="ProxyProtocol">PROXY protocol trust, when the listener sits behind a firewall or HAProxy.</param>
/// <param name="MaxConnections">Connections (UDP: sessions) beyond this are closed at once; null for no limit.</param>
/// <param name="L4">For tcp, udp and tls-passthrough listeners: where they route; null for HTTP listeners.</param>
internal sealed record ListenerConfig(
    string Name,
    ListenAddress Address,
    ListenerProtocol Protocol = ListenerProtocol.Http,
    ProxyProtocolConfig? ProxyProtocol = null,
    int? MaxConnections = null,
    L4ListenerConfig? L4 = null)
{
    /// <summary>What is bound at start-up (a change needs a restart); <see cref="L4"/> routes follow the file live.</summary>
    public ListenerConfig Binding => L4 is null ? this : this with { L4 = null };
}
