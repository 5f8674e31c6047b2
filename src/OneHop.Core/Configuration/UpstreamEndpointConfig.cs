namespace OneHop.Core.Configuration;

/// <summary>One server of an upstream: an IP address or DNS name, a port, a weight and optionally a zone.</summary>
internal sealed record UpstreamEndpointConfig(string Host, int Port, int Weight = 1, string? Zone = null);
