namespace OneHop.Core.Configuration;

/// <summary>A listener of the data plane.</summary>
/// <param name="ProxyProtocol">PROXY protocol trust, when the listener sits behind a firewall or HAProxy.</param>
/// <param name="MaxConnections">Connections beyond this are closed at once; null for no limit.</param>
internal sealed record ListenerConfig(
    string Name,
    ListenAddress Address,
    ListenerProtocol Protocol = ListenerProtocol.Http,
    ProxyProtocolConfig? ProxyProtocol = null,
    int? MaxConnections = null);
