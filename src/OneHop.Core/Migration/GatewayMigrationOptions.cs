namespace OneHop.Core.Migration;

/// <summary>
/// <c>onehop migrate --to gateway-api</c>'s choices. Without them, as ingress2gateway does, each namespace gets one
/// Gateway per IngressClass, named after the class, of the class of that name, beside its Ingresses.
/// </summary>
/// <param name="GatewayClass">The Gateways' <c>gatewayClassName</c> (<c>--gateway-class</c>); null: the IngressClass's name.</param>
/// <param name="GatewayName">The Gateways' name (<c>--gateway-name</c>); null: the IngressClass's name.</param>
/// <param name="GatewayNamespace">
/// One namespace for every Gateway (<c>--gateway-name NAMESPACE/NAME</c>): its listeners admit routes from all
/// namespaces, and the Ingresses' TLS Secrets elsewhere are granted to it by ReferenceGrants. Null: each Ingress's own.
/// </param>
internal sealed record GatewayMigrationOptions(string? GatewayClass = null, string? GatewayName = null, string? GatewayNamespace = null)
{
    /// <summary>ingress-nginx's controller ConfigMap (<c>--nginx-configmap</c>): its defaults and headers are converted too; null for none.</summary>
    public State.ObjectKey? NginxConfigMap { get; init; }

    /// <summary>Reads <c>--gateway-name</c>'s <c>NAME</c> or <c>NAMESPACE/NAME</c>.</summary>
    public static GatewayMigrationOptions Of(string? gatewayClass, string? gatewayName)
    {
        if (gatewayName is not null && gatewayName.IndexOf('/', StringComparison.Ordinal) is var slash and > 0)
        {
            return new GatewayMigrationOptions(gatewayClass, gatewayName[(slash + 1)..], gatewayName[..slash]);
        }

        return new GatewayMigrationOptions(gatewayClass, gatewayName);
    }
}
