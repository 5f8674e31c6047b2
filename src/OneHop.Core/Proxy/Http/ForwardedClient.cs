using System.Net;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// A request whose connection came from a trusted proxy (<see cref="Configuration.TrustedProxiesConfig"/>), set by
/// <see cref="ClientAddressMiddleware"/>: what the proxy said that OneHop passes on to pods besides the client address,
/// which replaced the connection's.
/// </summary>
/// <param name="Peer">The connection's own address: the proxy's.</param>
/// <param name="Host">The proxy's X-Forwarded-Host (its first element), when its X-Forwarded-* are believed and it sent one.</param>
/// <param name="Port">The proxy's X-Forwarded-Port, when its X-Forwarded-* are believed and it sent a port number.</param>
/// <param name="ForwardedFor">The X-Forwarded-For received with <see cref="Peer"/> added, when that is what pods get.</param>
internal sealed record ForwardedClient(IPAddress Peer, string? Host, string? Port, string? ForwardedFor);
