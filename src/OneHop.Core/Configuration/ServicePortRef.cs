using System.Globalization;

namespace OneHop.Core.Configuration;

/// <summary>A Service port as an L4 listener names it: <c>NAMESPACE/NAME:PORT</c>, the port by number or by name.</summary>
internal sealed record ServicePortRef(string Namespace, string Name, string? PortName, int? PortNumber)
{
    /// <summary>Parses <c>NAMESPACE/NAME:PORT</c>; null with the reason when it is not one.</summary>
    public static ServicePortRef? Parse(string? text, out string? error)
    {
        error = null;
        if (text?.Split('/') is not [var ns, var rest] || rest.Split(':') is not [var name, var port])
        {
            error = $"'{text}' is not NAMESPACE/NAME:PORT, e.g. db/postgres:5432";
            return null;
        }

        if (!IsLabel(ns) || !IsLabel(name))
        {
            error = $"'{text}': namespace and name must be DNS labels (lowercase letters, digits, '-')";
            return null;
        }

        if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (number is < 1 or > 65535)
            {
                error = $"'{text}': {port} is not a port from 1 to 65535";
                return null;
            }

            return new ServicePortRef(ns, name, null, number);
        }

        if (!IsLabel(port))
        {
            error = $"'{text}': the port '{port}' is neither a number nor a port name";
            return null;
        }

        return new ServicePortRef(ns, name, port, null);
    }

    public override string ToString() => $"{Namespace}/{Name}:{PortName ?? PortNumber?.ToString(CultureInfo.InvariantCulture)}";

    private static bool IsLabel(string text) =>
        text.Length is > 0 and <= 63 && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && text[0] != '-' && text[^1] != '-';
}
