namespace OneHop.Core.Routing.GatewayApi;

/// <summary>A port OneHop's Gateways listen on, bound at every <c>--gateway-address</c>; HTTPS terminates TLS by SNI.</summary>
internal sealed record GatewayPort(int Port, bool Https);
