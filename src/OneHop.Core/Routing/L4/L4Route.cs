using System.Collections.Immutable;
using System.Text.Json.Serialization;
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

    /// <summary>
    /// On a TLS listener, true when OneHop ends the client's TLS (a Gateway TLS listener in Terminate mode) and carries the
    /// plain stream to the pods; false when the TLS passes through untouched. Shown only when true.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TerminateTls { get; init; }

    /// <summary>
    /// The <see cref="Tls.TlsCertificate.Id"/> presented when <see cref="TerminateTls"/>: the listener's certificateRef;
    /// null, or an id the snapshot has no certificate for (a Secret that is not one), for OneHop's default certificate.
    /// </summary>
    public string? Certificate { get; init; }

    /// <summary>
    /// A Gateway TLSRoute's wildcard host, which covers any number of labels (<c>*.com</c> takes <c>a.example.com</c>), as
    /// Gateway API's hostnames do; an Ingress's covers one label. Shown only when true.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool SuffixWildcard { get; init; }

    /// <summary>
    /// The destination address a Gateway route is scoped to (its Gateway's <c>spec.addresses</c>), so that Gateways sharing
    /// a port are told apart by address on a wildcard bind too; null takes connections to any address the listener has.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Address { get; init; }

    public bool Equals(L4Route? other) =>
        other is not null && Id == other.Id && Host == other.Host && BackendId == other.BackendId && Address == other.Address
        && ProxyProtocolToBackend == other.ProxyProtocolToBackend && Source == other.Source && Splits.SequenceEqual(other.Splits)
        && TerminateTls == other.TerminateTls && Certificate == other.Certificate && SuffixWildcard == other.SuffixWildcard;

    public override int GetHashCode() => HashCode.Combine(Id, BackendId);
}
