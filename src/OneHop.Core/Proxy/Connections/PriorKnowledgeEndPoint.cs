using System.Net;

namespace OneHop.Core.Proxy.Connections;

/// <summary>
/// The address of Kestrel's in-process HTTP/2 listener that takes the h2c connections <see cref="PriorKnowledgeMiddleware"/>
/// recognises on a cleartext port; no socket is behind it (<see cref="PriorKnowledgeHandoff"/>).
/// </summary>
internal sealed class PriorKnowledgeEndPoint : EndPoint
{
    public static readonly PriorKnowledgeEndPoint Instance = new();

    private const string Host = "onehop-h2c-handoff";

    private PriorKnowledgeEndPoint()
    {
    }

    /// <summary>What Kestrel shows as its address (<c>http://onehop-h2c-handoff</c>): a valid URI host, so address readers parse it.</summary>
    public override string ToString() => Host;

    /// <summary>Whether <paramref name="address"/>, one of Kestrel's bound addresses, is this endpoint's.</summary>
    public static bool IsItsAddress(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Host.Equals(Host, StringComparison.OrdinalIgnoreCase);
}
