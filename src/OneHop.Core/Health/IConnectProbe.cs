namespace OneHop.Core.Health;

/// <summary>One TCP connect attempt from OneHop's host, for the pod reachability prober.</summary>
internal interface IConnectProbe
{
    /// <summary>Whether the packets got to <paramref name="address"/> (a connection or a refusal), and what happened.</summary>
    Task<ConnectProbeResult> ConnectAsync(string address, int port, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <param name="Reached">True when the address answered: connected, or refused (the pod's host is there, the port is not).</param>
/// <param name="Detail">What happened, in a few words: <c>connected</c>, <c>refused</c>, <c>no answer within 2s</c>, <c>HostUnreachable</c>.</param>
internal readonly record struct ConnectProbeResult(bool Reached, string Detail);
