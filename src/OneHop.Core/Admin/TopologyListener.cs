namespace OneHop.Core.Admin;

/// <summary>One edge listener: its name in the config, where it is bound, and its protocol (http, https, h2c, tcp, udp).</summary>
internal sealed record TopologyListener(string Name, string Address, string Protocol);
