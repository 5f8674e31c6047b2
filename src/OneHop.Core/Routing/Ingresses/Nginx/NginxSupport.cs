namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>How OneHop treats one ingress-nginx annotation.</summary>
internal enum NginxSupport
{
    /// <summary>Served with ingress-nginx's documented meaning.</summary>
    Honoured,

    /// <summary>Served, with a difference the registry names.</summary>
    Difference,

    /// <summary>Not served; the registry says why. Reported on every Ingress that carries it.</summary>
    Unsupported,
}
