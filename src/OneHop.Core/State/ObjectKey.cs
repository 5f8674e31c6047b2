using System.Text.RegularExpressions;

namespace OneHop.Core.State;

/// <summary>Namespace and name of a Kubernetes object; cluster-scoped objects have an empty namespace.</summary>
internal readonly partial record struct ObjectKey(string Namespace, string Name) : IComparable<ObjectKey>
{
    /// <summary>
    /// <c>NAMESPACE/NAME</c> as written in annotations and ConfigMaps (both parts RFC 1123 subdomains, no spaces around
    /// them); null for anything else. The sources and the translator read such references the same way.
    /// </summary>
    public static ObjectKey? ParseNamespaced(string? value)
    {
        var parts = value?.Split('/');
        return parts is [var ns, var name] && ObjectName().IsMatch(ns) && ObjectName().IsMatch(name) ? new ObjectKey(ns, name) : null;
    }

    public int CompareTo(ObjectKey other)
    {
        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";

    /// <summary>A Kubernetes object name (RFC 1123 subdomain).</summary>
    [GeneratedRegex(@"^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$")]
    public static partial Regex ObjectName();
}
