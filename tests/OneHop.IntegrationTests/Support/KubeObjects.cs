using k8s.Models;

namespace OneHop.IntegrationTests.Support;

/// <summary>Kubernetes objects for the API-source tests, as KubernetesClient's model types.</summary>
internal static class KubeObjects
{
    /// <summary>One site: the default IngressClass, Service web with a slice of <paramref name="ready"/>, Ingress site for <paramref name="host"/>.</summary>
    public static void CreateSite(KubeApiTestServer.KubeApiServer api, PodNamespace pods, IEnumerable<string> ready, string host)
    {
        api.Create(DefaultClass());
        api.Create(Service("web"));
        api.Create(Slice("web", pods, ready));
        api.Create(Ingress("site", host, "web"));
    }

    public static V1IngressClass DefaultClass() => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "IngressClass",
        Metadata = new V1ObjectMeta { Name = "onehop", Annotations = new Dictionary<string, string> { ["ingressclass.kubernetes.io/is-default-class"] = "true" } },
        Spec = new V1IngressClassSpec { Controller = "onehop.dev/ingress-controller" },
    };

    public static V1Service Service(string name, string ns = "default") => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }] },
    };

    public static V1EndpointSlice Slice(string service, PodNamespace pods, IEnumerable<string> ready, string ns = "default", string? name = null) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = new V1ObjectMeta
        {
            Name = name ?? $"{service}-slice",
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = PodNamespace.Port }],
        Endpoints = [.. ready.Select(pod => new V1Endpoint
        {
            Addresses = [pods.Addresses[pod]],
            Conditions = new V1EndpointConditions { Ready = true },
            TargetRef = new V1ObjectReference { Kind = "Pod", Name = pod, NamespaceProperty = ns },
        })],
    };

    public static V1Ingress Ingress(string name, string host, string service, string ns = "default") => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "Ingress",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1IngressSpec
        {
            Rules =
            [
                new V1IngressRule
                {
                    Host = host,
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths =
                        [
                            new V1HTTPIngressPath
                            {
                                Path = "/",
                                PathType = "Prefix",
                                Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = service, Port = new V1ServiceBackendPort { Number = 80 } } },
                            },
                        ],
                    },
                },
            ],
        },
    };
}
