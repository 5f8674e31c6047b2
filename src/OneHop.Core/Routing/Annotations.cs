namespace OneHop.Core.Routing;

/// <summary>The annotations OneHop reads.</summary>
internal static class Annotations
{
    /// <summary>Balancing algorithm for a Service's backends (on the Service, or on an Ingress for its backends).</summary>
    public const string LoadBalance = "onehop.dev/load-balance";

    /// <summary>Deprecated class selection, still honoured.</summary>
    public const string IngressClass = "kubernetes.io/ingress.class";

    /// <summary>Marks an IngressClass as the cluster's default.</summary>
    public const string IsDefaultClass = "ingressclass.kubernetes.io/is-default-class";
}
