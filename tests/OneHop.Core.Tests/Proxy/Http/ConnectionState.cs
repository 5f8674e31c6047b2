using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>A connection's per-connection state, as Kestrel keeps it (<see cref="IPersistentStateFeature"/>), for its requests' contexts.</summary>
internal sealed class ConnectionState : IPersistentStateFeature
{
    public IDictionary<object, object?> State { get; } = new Dictionary<object, object?>();

    /// <summary>A new request on this connection.</summary>
    public DefaultHttpContext NextRequest()
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IPersistentStateFeature>(this);
        return context;
    }
}
