namespace OneHop.Core.Routing.GatewayApi;

/// <summary>A port OneHop's Gateways listen on, bound at every <c>--gateway-address</c>; HTTPS terminates TLS by SNI.</summary>
/// <param name="Hostnames">Its listeners' hostnames (empty for one without), sorted: they decide which listener's routes a request meets.</param>
internal sealed record GatewayPort(int Port, bool Https, System.Collections.Immutable.ImmutableArray<string> Hostnames)
{
    public bool Equals(GatewayPort? other) => other is not null && Port == other.Port && Https == other.Https && Hostnames.SequenceEqual(other.Hostnames);

    public override int GetHashCode() => HashCode.Combine(Port, Https);
}
