namespace OneHop.Core.Routing.Endpoints;

/// <summary>The pod OneHop connects to for one node's reachability: the node's lowest ready pod address of an auto Service.</summary>
internal sealed record ReachProbeTarget(string Node, string Address, int Port);
