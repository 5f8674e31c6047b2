using OneHop.Core.Configuration;

namespace OneHop.Core.Proxy.L4;

/// <summary>
/// What is fixed when an L4 listener's socket is bound: its name, transport and address, the slot its connections
/// read their routes from (<see cref="L4DataPlane.Slot"/>), its cap on connections (UDP: sessions) and whom it
/// trusts to send PROXY protocol. Routes follow the snapshot; these need a restart (ConfigMap ports: a new entry).
/// </summary>
internal sealed record L4Binding(string Name, ListenerProtocol Protocol, ListenAddress Address, int Slot, int? MaxConnections, ProxyProtocolConfig? ProxyProtocol);
