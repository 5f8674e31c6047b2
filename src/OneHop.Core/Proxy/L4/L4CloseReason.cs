namespace OneHop.Core.Proxy.L4;

/// <summary>Why OneHop closed an L4 connection that neither side had closed.</summary>
internal enum L4CloseReason
{
    /// <summary>No byte moved either way for the listener's idle timeout.</summary>
    Idle,

    /// <summary>Its pod left the routing table (or stopped being ready) and the drain timeout ran out.</summary>
    Drained,

    /// <summary>OneHop is stopping.</summary>
    Shutdown,
}
