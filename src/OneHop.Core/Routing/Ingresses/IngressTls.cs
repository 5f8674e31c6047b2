using System.Collections.Immutable;

namespace OneHop.Core.Routing.Ingresses;

/// <summary>One <c>spec.tls</c> entry of an Ingress: hosts (its rules' hosts when none are listed) and the Secret.</summary>
internal sealed record IngressTls(ImmutableArray<string> Hosts, string? SecretName, string Field)
{
    public bool Equals(IngressTls? other) =>
        other is not null && SecretName == other.SecretName && Field == other.Field && Hosts.SequenceEqual(other.Hosts);

    public override int GetHashCode() => HashCode.Combine(SecretName, Field);
}
