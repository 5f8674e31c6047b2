using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>A port OneHop's Gateways listen on, bound at every <c>--gateway-address</c>; HTTPS terminates TLS by SNI.</summary>
/// <param name="Hostnames">Its listeners' hostnames (empty for one without), sorted: they decide which listener's routes a request meets.</param>
/// <param name="H2c">
/// A cleartext port whose routes are all GRPCRoutes: bound for HTTP/2 with prior knowledge instead of HTTP/1.1 (Kestrel
/// cannot tell the two apart on one cleartext port).
/// </param>
internal sealed record GatewayPort(int Port, bool Https, ImmutableArray<string> Hostnames, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool H2c = false)
{
    public bool Equals(GatewayPort? other) => other is not null && Port == other.Port && Https == other.Https && H2c == other.H2c && Hostnames.SequenceEqual(other.Hostnames);

    public override int GetHashCode() => HashCode.Combine(Port, Https);
}
