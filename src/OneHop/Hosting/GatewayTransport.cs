using System.Net;
using Microsoft.AspNetCore.Connections;

namespace OneHop.Hosting;

/// <summary>
/// Kestrel's transport for the Gateway endpoints: the socket transport, watched. Kestrel binds those endpoints on a
/// configuration reload, in the background, and says how it went only in its log; binding through here tells
/// <see cref="GatewayBindOutcomes"/> the moment each endpoint listens or fails, so readiness can wait for them. Kestrel
/// asks the transports registered last first, so this one, registered after the socket transport, is asked first and
/// takes only the endpoints <paramref name="wanted"/> names.
/// </summary>
internal sealed class GatewayTransport(IConnectionListenerFactory sockets, Func<IPEndPoint, bool> wanted, GatewayBindOutcomes outcomes)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint ip && wanted(ip);

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var ip = (IPEndPoint)endpoint;
        try
        {
            var listener = await sockets.BindAsync(endpoint, cancellationToken);
            outcomes.Listening(ip);
            return listener;
        }
        catch (Exception ex)
        {
            outcomes.Failed(ip, ex is AddressInUseException ? "address in use (another process holds the port)" : ex.Message);
            throw;
        }
    }
}
