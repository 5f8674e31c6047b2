using System.Collections.Immutable;
using OneHop.Core.Admin;
using OneHop.Core.Configuration;

namespace OneHop.Hosting;

/// <summary>
/// The edge listeners as the dashboard shows them: a listener configured on port 0 shows the port it was given, taken
/// from the proxy's bound addresses (Kestrel reports them in the order the listeners were bound).
/// </summary>
internal static class BoundListeners
{
    public static ImmutableArray<TopologyListener> Resolve(IReadOnlyList<ListenerConfig> listeners, IReadOnlyList<string> boundUrls)
    {
        var bound = boundUrls.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>().ToList();
        var builder = ImmutableArray.CreateBuilder<TopologyListener>(listeners.Count);
        foreach (var listener in listeners)
        {
            var address = listener.Address.ToString();
            if (listener.Address.Port == 0 && !listener.Protocol.IsL4())
            {
                var scheme = listener.Protocol == ListenerProtocol.Https ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;
                var match = bound.FirstOrDefault(u => u.Scheme == scheme && System.Net.IPAddress.TryParse(u.Host.Trim('[', ']'), out var ip) && ip.Equals(listener.Address.Address));
                if (match is not null)
                {
                    bound.Remove(match);
                    address = match.Authority;
                }
            }

            builder.Add(new TopologyListener(listener.Name, address, listener.Protocol.ToString().ToLowerInvariant()));
        }

        return builder.MoveToImmutable();
    }
}
