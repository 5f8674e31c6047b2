using k8s.Models;

namespace OneHop.Core.Control.Events;

/// <summary>The object an Event is about, as <c>regarding</c> names it; its identity is kind, namespace, name and uid.</summary>
/// <param name="Namespace">Empty for a cluster-scoped object (its Events then live in <c>default</c>, as client-go puts them).</param>
/// <param name="ResourceVersion">The version the finding was made on: shown, but not part of the identity.</param>
internal sealed record EventSubject(string ApiVersion, string Kind, string Namespace, string Name, string Uid, string? ResourceVersion)
{
    public (string Kind, string Namespace, string Name, string Uid) Identity => (Kind, Namespace, Name, Uid);

    /// <summary>Where the object's Events are written.</summary>
    public string EventNamespace => Namespace.Length == 0 ? "default" : Namespace;

    public V1ObjectReference ToReference() => new()
    {
        ApiVersion = ApiVersion,
        Kind = Kind,
        NamespaceProperty = Namespace.Length == 0 ? null : Namespace,
        Name = Name,
        Uid = Uid,
        ResourceVersion = ResourceVersion,
    };

    public override string ToString() => Namespace.Length == 0 ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
