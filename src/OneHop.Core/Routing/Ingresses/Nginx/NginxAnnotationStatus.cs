namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>What <c>onehop migrate</c> says of one annotation on one Ingress.</summary>
internal enum NginxAnnotationStatus
{
    Honoured,
    Difference,
    Unsupported,

    /// <summary>Not an ingress-nginx annotation OneHop knows.</summary>
    Unknown,

    /// <summary>A known annotation whose value OneHop (and in most cases ingress-nginx) refuses.</summary>
    Invalid,
}
