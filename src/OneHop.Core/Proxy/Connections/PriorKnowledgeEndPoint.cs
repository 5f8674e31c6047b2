using System.Net;

namespace OneHop.Core.Proxy.Connections;

/// <summary>
/// The address of Kestrel's in-process HTTP/2 listener that takes the h2c connections <see cref="PriorKnowledgeMiddleware"/>
/// recognises on a cleartext port; no socket is behind it (<see cref="PriorKnowledgeHandoff"/>).
/// </summary>
internal sealed class PriorKnowledgeEndPoint : EndPoint
{
    public static readonly PriorKnowledgeEndPoint Instance = new();

    private PriorKnowledgeEndPoint()
    {
    }

    /// <summary>What Kestrel shows as its address (<c>http://onehop-h2c-handoff</c>): a valid URI host, so address readers parse it.</summary>
    public override string ToString() => "onehop-h2c-handoff";
}
