using System.Net;

namespace OneHop.Core.Configuration;

/// <summary>An address and port to listen on, written <c>ADDR:PORT</c> (<c>0.0.0.0:80</c>, <c>[::]:443</c>, <c>*:8080</c>).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ListenAddressJsonConverter))]
internal readonly record struct ListenAddress(IPAddress Address, int Port)
{
    public IPEndPoint EndPoint => new(Address, Port);

    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>
    /// True when binding both would take the same port: the same port (not 0, any free port) on the same address, or
    /// on every address (<c>0.0.0.0</c>, <c>[::]</c>) and any other.
    /// </summary>
    public bool Overlaps(ListenAddress other) =>
        Port != 0 && Port == other.Port && (Address.Equals(other.Address) || IsEveryAddress(Address) || IsEveryAddress(other.Address));

    private static bool IsEveryAddress(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    public static bool TryParse(string? text, out ListenAddress address, out string? error)
    {
        address = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "an address is required, e.g. 0.0.0.0:8080";
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || (text.Contains(']', StringComparison.Ordinal) && text.IndexOf(']', StringComparison.Ordinal) > colon))
        {
            error = $"'{text}' is not ADDR:PORT, e.g. 0.0.0.0:8080 or [::]:8080";
            return false;
        }

        var host = text[..colon];
        if (!int.TryParse(text[(colon + 1)..], out var port) || port is < 0 or > 65535)
        {
            error = $"'{text}' has an invalid port";
            return false;
        }

        IPAddress? ip = host switch
        {
            "*" => IPAddress.Any,
            "localhost" => IPAddress.Loopback,
            _ when host.StartsWith('[') && host.EndsWith(']') => IPAddress.TryParse(host[1..^1], out var v6) ? v6 : null,
            _ => IPAddress.TryParse(host, out var v4) ? v4 : null,
        };
        if (ip is null)
        {
            error = $"'{host}' is not an IP address (use 0.0.0.0, [::], an interface address or *)";
            return false;
        }

        address = new ListenAddress(ip, port);
        return true;
    }

    public static ListenAddress Parse(string text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException(error);

    public override string ToString() => EndPoint.ToString();
}
