using System.Collections.Immutable;
using System.Net;
using OneHop.Core.Configuration;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// A Gateway's <c>spec.addresses</c> against where OneHop serves Gateways (<c>--gateway-address</c>): OneHop binds no
/// address of a Gateway's own, so an <c>IPAddress</c> is usable when its Gateway ports are already served there, one of
/// the <c>--gateway-address</c>es or, under a wildcard one, an address of this host. An entry without a value asks
/// for any address: OneHop's published ones. Other types are not supported.
/// </summary>
internal static class GatewayAddresses
{
    /// <summary>
    /// What the Gateway's addresses come to: a condition to report when one cannot be served, and the addresses to publish
    /// (also a Gateway's refusal for its parameters, <see cref="GatewayParameters"/>).
    /// </summary>
    /// <param name="Addresses">The requested addresses to report in <c>status.addresses</c>; empty for OneHop's published ones.</param>
    public sealed record Verdict(GatewayCondition? Accepted, GatewayCondition? Programmed, ImmutableArray<string> Addresses)
    {
        /// <summary>The field a refusal is about, for its diagnostic.</summary>
        public string Field { get; init; } = "spec.addresses";
    }

    private static readonly Verdict Unrequested = new(null, null, []);

    public static Verdict Check(IList<GatewayAddress>? requested, GatewaySettings settings)
    {
        if (requested is not { Count: > 0 })
        {
            return Unrequested;
        }

        var usable = new List<string>();
        for (var i = 0; i < requested.Count; i++)
        {
            var address = requested[i] ?? new GatewayAddress();
            var type = address.Type ?? "IPAddress";
            if (type != "IPAddress")
            {
                return Refused($"spec.addresses[{i}]: type {type} is not supported: OneHop serves IPAddress addresses only");
            }

            if (string.IsNullOrEmpty(address.Value))
            {
                continue;
            }

            if (!IPAddress.TryParse(address.Value, out var ip))
            {
                return Refused($"spec.addresses[{i}]: '{address.Value}' is not an IP address");
            }

            if (!Serves(settings, ip))
            {
                var message = $"spec.addresses[{i}]: OneHop does not serve Gateways on {ip} (--gateway-address {string.Join(", ", settings.EffectiveAddresses)})";
                return new Verdict(null, GatewayCondition.False("Programmed", "AddressNotUsable", message), []);
            }

            usable.Add(ip.ToString());
        }

        return new Verdict(null, null, [.. usable.Distinct(StringComparer.Ordinal)]);
    }

    private static Verdict Refused(string message) =>
        new(GatewayCondition.False("Accepted", "UnsupportedAddress", message), GatewayCondition.False("Programmed", "Invalid", message), []);

    /// <summary>
    /// True when OneHop's Gateway ports listen on <paramref name="ip"/>: a <c>--gateway-address</c> itself, or an address
    /// of this host of the family of a wildcard one (every address when the host's are not known, as in <c>validate</c>).
    /// </summary>
    private static bool Serves(GatewaySettings settings, IPAddress ip) =>
        settings.EffectiveAddresses.Any(a => a.Equals(ip)
            || (a.Equals(IPAddress.Any) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && Local(settings, ip))
            || (a.Equals(IPAddress.IPv6Any) && Local(settings, ip)));

    private static bool Local(GatewaySettings settings, IPAddress ip) =>
        settings.HostAddresses.IsDefault || settings.HostAddresses.Contains(ip);
}
