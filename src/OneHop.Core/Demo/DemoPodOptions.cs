namespace OneHop.Core.Demo;

/// <summary>A demo pod: its identity, where it listens, and where it "runs".</summary>
internal sealed record DemoPodOptions(string Name, string Service, string Address, int Port, string? Node = null, string? Zone = null);
