using System.Net.Sockets;
using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>What <see cref="PodConnector"/> made of a connection's attempts: a connected pod socket, or why there is none.</summary>
/// <param name="Socket">Connected to <paramref name="Destination"/>; null when every attempt failed.</param>
/// <param name="Outcome">Success, or the last failure (<see cref="AttemptOutcome.NoEndpoints"/> when nothing was tried).</param>
internal readonly record struct PodConnection(Socket? Socket, Destination? Destination, AttemptOutcome Outcome, int Attempts)
{
    /// <summary>The capped backend's queue the connection holds a slot of, to give back when it closes; null when uncapped.</summary>
    public BackendQueue? Slot { get; init; }

    /// <summary>Why the capped backend's queue refused the connection (Full or TimedOut); null when it did not.</summary>
    public QueueOutcome? Refused { get; init; }

    /// <summary>Seconds spent waiting in the capped backend's queue; 0 when it did not wait.</summary>
    public double QueueTime { get; init; }
}
