using k8s.Models;
using OneHop.Core.State.GatewayApi;

namespace Propagation;

/// <summary>The benchmark's Kubernetes objects, as KubernetesClient's model types.</summary>
internal static class KubeObjects
{
    public const string Namespace = "bench";
    public const string ServiceLabel = "kubernetes.io/service-name";

    public static string ServiceName(int index) => $"svc-{index}";

    public static string Host(int index) => $"svc-{index}.bench";

    /// <summary>The class OneHop serves, made the default so the Ingresses need no class of their own.</summary>
    public static V1IngressClass DefaultClass() => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "IngressClass",
        Metadata = new V1ObjectMeta { Name = "onehop", Annotations = new Dictionary<string, string> { ["ingressclass.kubernetes.io/is-default-class"] = "true" } },
        Spec = new V1IngressClassSpec { Controller = "onehop.dev/ingress-controller" },
    };

    public static V1Service Service(int index) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = ServiceName(index), NamespaceProperty = Namespace },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http", Protocol = "TCP" }] },
    };

    public static V1EndpointSlice Slice(int index, IEnumerable<V1Endpoint> endpoints) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = new V1ObjectMeta
        {
            Name = $"{ServiceName(index)}-0",
            NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string> { [ServiceLabel] = ServiceName(index) },
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = BenchOptions.PodPort, Protocol = "TCP" }],
        Endpoints = [.. endpoints],
    };

    public static V1Endpoint Endpoint(string address, bool ready) => new()
    {
        Addresses = [address],
        Conditions = new V1EndpointConditions { Ready = ready, Serving = ready, Terminating = false },
        TargetRef = new V1ObjectReference { Kind = "Pod", Name = $"pod-{address.Replace('.', '-')}", NamespaceProperty = Namespace },
        NodeName = "node-0",
    };

    /// <summary>One Ingress with a rule <c>svc-N.bench/ → svc-N:80</c> for each of <paramref name="indexes"/>.</summary>
    public static V1Ingress Ingress(string name, IEnumerable<int> indexes) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "Ingress",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new V1IngressSpec
        {
            Rules = [.. indexes.Select(i => new V1IngressRule
            {
                Host = Host(i),
                Http = new V1HTTPIngressRuleValue
                {
                    Paths =
                    [
                        new V1HTTPIngressPath
                        {
                            Path = "/",
                            PathType = "Prefix",
                            Backend = new V1IngressBackend
                            {
                                Service = new V1IngressServiceBackend { Name = ServiceName(i), Port = new V1ServiceBackendPort { Number = 80 } },
                            },
                        },
                    ],
                },
            })],
        },
    };

    public static string RouteName(int probe) => $"route-{probe}";

    public static string RouteHost(int probe) => $"route-{probe}.bench";

    /// <summary>The GatewayClass OneHop serves (its controller name).</summary>
    public static GatewayClass GatewayClass() => new()
    {
        ApiVersion = $"{GatewayApiNames.Group}/v1",
        Kind = "GatewayClass",
        Metadata = new V1ObjectMeta { Name = "onehop" },
        Spec = new GatewayClassSpec { ControllerName = GatewayApiNames.ControllerName },
    };

    /// <summary>One Gateway of that class with an HTTP listener on <paramref name="port"/>.</summary>
    public static Gateway Gateway(int port) => new()
    {
        ApiVersion = $"{GatewayApiNames.Group}/v1",
        Kind = "Gateway",
        Metadata = new V1ObjectMeta { Name = "edge", NamespaceProperty = Namespace },
        Spec = new GatewaySpec { GatewayClassName = "onehop", Listeners = [new GatewayListener { Name = "http", Port = port, Protocol = "HTTP" }] },
    };

    /// <summary>HTTPRoute <c>route-P</c>: <c>route-P.bench</c> on the Gateway, all of it to Service <c>svc-N</c>.</summary>
    public static HttpRoute Route(int probe, int serviceIndex) => new()
    {
        ApiVersion = $"{GatewayApiNames.Group}/v1",
        Kind = "HTTPRoute",
        Metadata = new V1ObjectMeta { Name = RouteName(probe), NamespaceProperty = Namespace },
        Spec = new HttpRouteSpec
        {
            ParentRefs = [new ParentReference { Name = "edge" }],
            Hostnames = [RouteHost(probe)],
            Rules = [new HttpRouteRule { BackendRefs = [new BackendReference { Name = ServiceName(serviceIndex), Port = 80 }] }],
        },
    };
}
