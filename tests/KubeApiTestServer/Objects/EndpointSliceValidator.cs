using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace KubeApiTestServer.Objects;

/// <summary>
/// The parts of the real EndpointSlice validation the load balancer depends on (contract section 6.1): the
/// address type, and addresses that must be valid IPs outside the loopback, link-local and unspecified ranges.
/// </summary>
internal static class EndpointSliceValidator
{
    private static readonly string[] AddressTypes = ["FQDN", "IPv4", "IPv6"];

    public static void Validate(JsonObject slice, JsonObject? previous, List<FieldError> errors)
    {
        var addressType = (string?)(slice["addressType"] as JsonValue);
        if (string.IsNullOrEmpty(addressType))
        {
            errors.Add(FieldError.Required("addressType"));
        }
        else if (!AddressTypes.Contains(addressType, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported("addressType", addressType, AddressTypes));
        }
        else if (previous?["addressType"] is JsonValue old && (string?)old is { } oldType && oldType != addressType)
        {
            errors.Add(FieldError.Invalid("addressType", FieldError.Quote(addressType), "field is immutable"));
        }

        if (slice["endpoints"] is not JsonArray endpoints)
        {
            return;
        }

        for (var i = 0; i < endpoints.Count; i++)
        {
            if (endpoints[i]?["addresses"] is not JsonArray addresses)
            {
                errors.Add(FieldError.Required($"endpoints[{i}].addresses", "must contain at least 1 address"));
                continue;
            }

            if (addresses.Count == 0)
            {
                errors.Add(FieldError.Required($"endpoints[{i}].addresses", "must contain at least 1 address"));
            }

            for (var j = 0; j < addresses.Count; j++)
            {
                var address = addresses[j] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
                ValidateAddress($"endpoints[{i}].addresses[{j}]", addressType, address, errors);
            }
        }
    }

    private static void ValidateAddress(string field, string? addressType, string address, List<FieldError> errors)
    {
        if (addressType is not ("IPv4" or "IPv6"))
        {
            return;
        }

        if (!TryParse(address, addressType == "IPv4", out var ip))
        {
            errors.Add(FieldError.Invalid(field, FieldError.Quote(address), $"must be a valid {addressType} address"));
            return;
        }

        var quoted = FieldError.Quote(address);
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            errors.Add(FieldError.Invalid(field, quoted, $"may not be unspecified ({address})"));
        }

        if (IPAddress.IsLoopback(ip))
        {
            errors.Add(FieldError.Invalid(field, quoted, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
        }

        if (IsLinkLocalUnicast(ip))
        {
            errors.Add(FieldError.Invalid(field, quoted, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
        }

        if (IsLinkLocalMulticast(ip))
        {
            errors.Add(FieldError.Invalid(field, quoted, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
        }
    }

    /// <summary>Parses like Go's <c>net.ParseIP</c>: IPv4 only as four decimal octets without leading zeros; no IPv6 zones.</summary>
    private static bool TryParse(string address, bool ipv4, out IPAddress ip)
    {
        ip = IPAddress.None;
        if (ipv4)
        {
            var parts = address.Split('.');
            if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0') || int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) > 255))
            {
                return false;
            }
        }
        else if (!address.Contains(':', StringComparison.Ordinal) || address.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        if (!IPAddress.TryParse(address, out var parsed))
        {
            return false;
        }

        ip = parsed;
        return parsed.AddressFamily == (ipv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6) && !parsed.IsIPv4MappedToIPv6;
    }

    private static bool IsLinkLocalUnicast(IPAddress ip)
    {
        var bytes = ip.GetAddressBytes();
        return ip.AddressFamily == AddressFamily.InterNetwork
            ? bytes[0] == 169 && bytes[1] == 254
            : bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80;
    }

    private static bool IsLinkLocalMulticast(IPAddress ip)
    {
        var bytes = ip.GetAddressBytes();
        return ip.AddressFamily == AddressFamily.InterNetwork
            ? bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0
            : bytes[0] == 0xff && (bytes[1] & 0x0f) == 0x02;
    }
}
