using System.Collections.Immutable;
using OneHop.Core.Configuration;

namespace OneHop.Core.Routing.L4;

/// <summary>Where an L4 connection goes: a backend, chosen for a listener (and on TLS, for an SNI name).</summary>
/// <param name="Id">Stable identity, <c>LISTENER/HOST</c> (<c>_</c> for every name); metrics and drains key on it.</param>
/// <param name="Host">The SNI name it takes (<c>db.example.com</c>, <c>*.example.com</c>); empty for every name.</param>
/// <param name="BackendId">The <see cref="Backend.Id"/> in <see cref="L4Snapshot.Backends"/>.</param>
/// <param name="ProxyProtocolToBackend">The PROXY protocol header written to the pod before the client's bytes, if any.</param>
/// <param name="Source">Where it was declared, e.g. <c>config listener postgres</c> or <c>Ingress default/db spec.rules[0]</c>.</param>
internal sealed record L4Route(string Id, string Host, string BackendId, ProxyProtocolVersion? ProxyProtocolToBackend, string Source)
{
    /// <summary>
    /// Several backends with weights (a Gateway route's backendRefs): each connection goes to one of them, in proportion
    /// to its weight (0: none). Empty when the route has the one backend <see cref="BackendId"/>.
    /// </summary>
    public ImmutableArray<L4Split> Splits { get; init; } = [];

    public bool Equals(L4Route? other) =>
        other is not null && Id == other.Id && Host == other.Host && BackendId == other.BackendId
        && ProxyProtocolToBackend == other.ProxyProtocolToBackend && Source == other.Source && Splits.SequenceEqual(other.Splits);

    public override int GetHashCode() => HashCode.Combine(Id, BackendId);
}
