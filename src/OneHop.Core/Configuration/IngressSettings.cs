using System.Net;
using OneHop.Core.State;

namespace OneHop.Core.Configuration;

/// <summary>Which Ingresses OneHop serves, and the ingress-nginx ConfigMaps it reads (TCP and UDP services, the controller's).</summary>
/// <param name="ClassName">The class name honoured in the deprecated <c>kubernetes.io/ingress.class</c> annotation, and,
/// when <paramref name="OnlyThisClass"/> is set, the only IngressClass served.</param>
/// <param name="WatchWithoutClass">Serve Ingresses that name no class even when no IngressClass of ours is the default.</param>
/// <param name="OnlyThisClass">Serve only the IngressClass named <paramref name="ClassName"/> (set by <c>--ingress-class</c>).</param>
internal sealed record IngressSettings(string ClassName = IngressSettings.DefaultClassName, bool WatchWithoutClass = false, bool OnlyThisClass = false)
{
    public const string DefaultClassName = "onehop";

    /// <summary>The <c>spec.controller</c> of IngressClasses that OneHop implements.</summary>
    public const string ControllerName = "onehop.dev/ingress-controller";

    /// <summary>The <c>spec.controller</c> of ingress-nginx's IngressClasses, served when adopting them.</summary>
    public const string NginxControllerName = "k8s.io/ingress-nginx";

    /// <summary>
    /// Serve the IngressClasses of ingress-nginx too (<c>--adopt-ingress-nginx</c>), beside it on the same Ingresses, so
    /// traffic can move over by a DNS or VIP switch. Naming such a class with <c>--ingress-class</c> adopts that class alone.
    /// </summary>
    public bool AdoptIngressNginx { get; init; }

    /// <summary>
    /// OneHop owns the adopted ingress-nginx classes (<c>--own-ingress-nginx</c>): it writes their Ingresses' status. Without
    /// it, status stays ingress-nginx's while both run.
    /// </summary>
    public bool OwnsIngressNginx { get; init; }

    /// <summary>ingress-nginx's <c>--tcp-services-configmap</c>: listen port → <c>namespace/service:port[:PROXY][:PROXY]</c>.</summary>
    public ObjectKey? TcpServicesConfigMap { get; init; }

    /// <summary>ingress-nginx's <c>--udp-services-configmap</c>, the same for UDP.</summary>
    public ObjectKey? UdpServicesConfigMap { get; init; }

    /// <summary>
    /// ingress-nginx's controller ConfigMap (<c>--nginx-configmap</c>, its <c>--configmap</c>): global defaults that the
    /// Ingresses' annotations override.
    /// </summary>
    public ObjectKey? NginxConfigMap { get; init; }

    /// <summary>The ConfigMaps OneHop is told to read (from the API, no other is listed).</summary>
    public IEnumerable<ObjectKey> NamedConfigMaps => new[] { TcpServicesConfigMap, UdpServicesConfigMap, NginxConfigMap }.OfType<ObjectKey>().Distinct();

    /// <summary>The address the ConfigMaps' ports listen on (ingress-nginx listens on every address).</summary>
    public IPAddress ServicesAddress { get; init; } = IPAddress.Any;
}
