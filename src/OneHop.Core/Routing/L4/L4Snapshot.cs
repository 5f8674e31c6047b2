using System.Collections.Immutable;

namespace OneHop.Core.Routing.L4;

/// <summary>
/// The L4 part of a snapshot: tcp, udp and tls-passthrough listeners with their routes, the ssl-passthrough hosts of
/// Ingresses (served on every HTTPS listener, beside the hosts whose TLS OneHop terminates), and their backends, whose
/// ids start with the transport (<c>tcp/db/postgres:5432</c>) so they never mix with HTTP backends of the same port.
/// </summary>
internal sealed record L4Snapshot(ImmutableArray<L4Listener> Listeners, ImmutableArray<L4Route> Passthrough, ImmutableArray<Backend> Backends)
{
    public bool Equals(L4Snapshot? other) =>
        other is not null && Listeners.SequenceEqual(other.Listeners) && Passthrough.SequenceEqual(other.Passthrough) && Backends.SequenceEqual(other.Backends);

    public override int GetHashCode() => HashCode.Combine(Listeners.Length, Passthrough.Length, Backends.Length);
}
