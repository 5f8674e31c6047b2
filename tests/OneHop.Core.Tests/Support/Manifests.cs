using OneHop.Core.Sources;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.State;

namespace OneHop.Core.Tests.Support;

/// <summary>Cluster state from inline YAML, through the same parser the manifest source uses.</summary>
internal static class Manifests
{
    public static ClusterState State(string yaml, string file = "test.yaml")
    {
        var parsed = ManifestParser.Parse(file, yaml);
        Assert.Empty(parsed.Diagnostics);
        var builder = new ClusterStateBuilder(new ObjectOrigin(ManifestParser.SourceName));
        foreach (var o in parsed.Objects)
        {
            builder.Add(o.Object, o.Origin);
        }

        return builder.Build();
    }

    public const string DefaultClass = """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: onehop
          annotations:
            ingressclass.kubernetes.io/is-default-class: "true"
        spec:
          controller: onehop.dev/ingress-controller
        ---

        """;

    /// <summary>OneHop's GatewayClass and Gateway <c>default/edge</c> with one HTTP listener, <c>http</c>, on port 80.</summary>
    public const string HttpGateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: onehop}
        spec: {controllerName: onehop.dev/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: default}
        spec:
          gatewayClassName: onehop
          listeners: [{name: http, port: 80, protocol: HTTP}]
        ---

        """;

    public static string Service(string name, params string[] addresses) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
        spec:
          ports: [{"{"}port: 80, targetPort: 8080{"}"}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {name}-1
          labels:
            kubernetes.io/service-name: {name}
        addressType: IPv4
        ports: [{"{"}name: "", port: 8080{"}"}]
        endpoints:
        {string.Join("\n", addresses.Select(a => $"  - addresses: [\"{a}\"]"))}
        ---

        """;

    public static string Ingress(string name, string host, string path, string service, string pathType = "Prefix") => $"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {name}
        spec:
          rules:
            - host: {host}
              http:
                paths:
                  - path: {path}
                    pathType: {pathType}
                    backend: {"{"}service: {"{"}name: {service}, port: {"{"}number: 80{"}"}{"}"}{"}"}
        ---

        """;
}
