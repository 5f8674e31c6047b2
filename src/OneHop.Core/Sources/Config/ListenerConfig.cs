namespace OneHop.Core.Sources.Config;

/// <summary>A listener of the data plane.</summary>
internal sealed record ListenerConfig(string Name, ListenAddress Address);
