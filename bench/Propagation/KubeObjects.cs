using k8s.Models;

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
}
