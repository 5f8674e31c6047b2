using System.Collections.Immutable;

namespace OneHop.Core.Routing;

/// <summary>
/// ingress-nginx's <c>default-backend</c> and <c>custom-http-errors</c> on a route: a Service that answers in the route's
/// place. An answer with one of <see cref="Codes"/>, from the pod or OneHop's own after forwarding (502, 503, 504), is
/// replaced by the answer of <see cref="BackendId"/> to a request for <c>/</c> carrying X-Code and the other headers of
/// ingress-nginx's error location; with <see cref="Fallback"/> the route's requests go there as they are (with X-Code 503)
/// while its own backend has no endpoint.
/// </summary>
/// <param name="BackendId">The backend that answers instead.</param>
/// <param name="Codes">The statuses replaced, sorted; empty for the fallback alone.</param>
/// <param name="Fallback">The backend also takes the route's requests while the route's own has no endpoint (the <c>default-backend</c> annotation).</param>
/// <param name="Namespace">X-Namespace: the Ingress's namespace.</param>
/// <param name="Ingress">X-Ingress-Name.</param>
/// <param name="Service">X-Service-Name: the Service of the route's rule.</param>
/// <param name="ServicePort">X-Service-Port: the rule's Service port as written, number or name.</param>
internal sealed record RouteErrorPages(
    string BackendId,
    ImmutableArray<int> Codes,
    bool Fallback,
    string Namespace,
    string Ingress,
    string Service,
    string ServicePort)
{
    /// <summary>True when an answer of <paramref name="status"/> is replaced.</summary>
    public bool Replaces(int status) => Codes.Contains(status);

    public bool Equals(RouteErrorPages? other) =>
        other is not null && BackendId == other.BackendId && Codes.SequenceEqual(other.Codes) && Fallback == other.Fallback
        && Namespace == other.Namespace && Ingress == other.Ingress && Service == other.Service && ServicePort == other.ServicePort;

    public override int GetHashCode() => HashCode.Combine(BackendId, Codes.Length, Fallback, Ingress, Service);
}
