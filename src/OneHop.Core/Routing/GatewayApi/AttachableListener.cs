using System.Collections.Immutable;
using k8s.Models;
using OneHop.Core.State;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>A valid listener of one of OneHop's Gateways, as routes attach to it.</summary>
/// <param name="Gateway">The Gateway.</param>
/// <param name="Name">The listener's name (a route's sectionName).</param>
/// <param name="Hostname">The listener's hostname; null for any.</param>
/// <param name="AllowedFrom">Same, All or Selector.</param>
/// <param name="Selector">The namespace selector when <paramref name="AllowedFrom"/> is Selector.</param>
/// <param name="Kinds">The route kinds it accepts.</param>
internal sealed record AttachableListener(
    ObjectRef Gateway,
    string Name,
    int Port,
    string Protocol,
    string? Hostname,
    string AllowedFrom,
    V1LabelSelector? Selector,
    ImmutableArray<string> Kinds)
{
    /// <summary>The ListenerSet the listener comes from; null for one of the Gateway's own.</summary>
    public ObjectRef? Set { get; init; }

    /// <summary>
    /// The Secret of the certificate a listener that terminates TLS (HTTPS, TLS in Terminate mode) serves: the first of
    /// <see cref="Certificates"/>, or the first of them that is a usable certificate once the translator has read them.
    /// </summary>
    public ObjectRef? Certificate { get; set; }

    /// <summary>The Secrets of its <c>tls.certificateRefs</c> that resolve (exist, allowed), in order.</summary>
    public ImmutableArray<ObjectRef> Certificates { get; init; } = [];

    /// <summary>
    /// A TLS listener in Terminate mode: OneHop's L4 data plane ends the TLS with <see cref="Certificate"/> and carries the
    /// plain stream to the TLSRoute's pods (Passthrough, the other mode, relays the TLS untouched).
    /// </summary>
    public bool TerminatesTls { get; init; }

    /// <summary>The client certificate validation of an HTTPS listener's port (the Gateway's <c>spec.tls.frontend</c>); null for none.</summary>
    public FrontendValidation? Frontend { get; init; }

    /// <summary>
    /// The Gateway's own <c>spec.addresses</c> that OneHop serves: its routes are served only on connections to them, so
    /// Gateways sharing a port are told apart by address. Empty for every address (no addresses asked for).
    /// </summary>
    public ImmutableArray<string> Addresses { get; init; } = [];

    /// <summary>The client certificate its Gateway presents to TLS pods (<c>spec.tls.backend</c>); null for none.</summary>
    public BackendClientCertificate? BackendCertificate { get; init; }

    /// <summary>How many routes attached to it (its status's attachedRoutes).</summary>
    public int AttachedRoutes { get; set; }

    /// <summary>The kinds of the routes attached to it: a cleartext port carries HTTP/1.1 for HTTPRoutes, HTTP/2 for GRPCRoutes alone.</summary>
    public HashSet<string> AttachedKinds { get; } = new(StringComparer.Ordinal);

    /// <summary>The hostnames of the routes attached to it, for the certificate of an HTTPS listener without a hostname.</summary>
    public HashSet<string> RouteHosts { get; } = new(StringComparer.OrdinalIgnoreCase);
}
