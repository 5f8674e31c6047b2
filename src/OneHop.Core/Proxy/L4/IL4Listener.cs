using System.Net;

namespace OneHop.Core.Proxy.L4;

/// <summary>A bound TCP or UDP listener of the L4 data plane.</summary>
internal interface IL4Listener : IDisposable
{
    L4Binding Binding { get; }

    /// <summary>The address actually bound (the port chosen when the config said 0).</summary>
    IPEndPoint LocalEndPoint { get; }

    // Dispose stops taking new connections (UDP: new sessions); open ones go on.
}
