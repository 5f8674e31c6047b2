namespace OneHop.Core.Routing.Endpoints;

/// <summary>An Ingress backend as written: a Service in the Ingress's namespace and a port by name or number.</summary>
internal sealed record BackendRef(string Namespace, string Service, string? PortName, int? PortNumber)
{
    public override string ToString() => $"{Namespace}/{Service}:{PortName ?? PortNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
