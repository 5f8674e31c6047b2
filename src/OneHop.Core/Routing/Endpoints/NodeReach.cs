namespace OneHop.Core.Routing.Endpoints;

/// <summary>What the last connect probes from OneHop to one node's pods found.</summary>
/// <param name="Reachable">True while the pod subnet answers (a connection, or a refusal: the packets got there).</param>
/// <param name="Detail">What the probe saw, for <c>/api/routes</c>: <c>10.244.1.5:8080 connected</c>, <c>... TimedOut</c>.</param>
internal sealed record NodeReach(bool Reachable, string Detail);
