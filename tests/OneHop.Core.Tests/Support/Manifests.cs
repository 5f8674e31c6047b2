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

    /// <summary>OneHop's GatewayClass, <c>onehop</c>, and a document separator.</summary>
    public const string GatewayClass = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: onehop}
        spec: {controllerName: onehop.dev/gateway-controller}
        ---

        """;

    /// <summary>OneHop's GatewayClass and Gateway <c>default/edge</c> with one HTTP listener, <c>http</c>, on port 80.</summary>
    public const string HttpGateway = GatewayClass + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: default}
        spec:
          gatewayClassName: onehop
          listeners: [{name: http, port: 80, protocol: HTTP}]
        ---

        """;

    /// <summary>
    /// <see cref="HttpGateway"/>, the HTTPRoute <c>default/web</c> on it with one rule per entry (rule i matches the path
    /// prefix <c>/ri</c>, goes to <c>web:80</c> and carries the entry's extra YAML lines, indented as rule fields), and the
    /// Service <c>web</c>.
    /// </summary>
    public static string WebHttpRoute(IEnumerable<string> ruleFields) => HttpGateway + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: default}
        spec:
          parentRefs: [{name: edge}]
          rules:

        """ + string.Concat(ruleFields.Select((fields, i) => $"""
              - matches: [{"{"}path: {"{"}type: PathPrefix, value: /r{i}{"}"}{"}"}]
                backendRefs: [{"{"}name: web, port: 80{"}"}]
            {fields}
            """)) + "---\n" + Service("web", "10.0.0.1");

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

    /// <summary>
    /// The Service <c>web</c> (port 80 → 8080, a NodePort Service when <paramref name="nodePort"/> is given, annotated
    /// <c>onehop.dev/reach</c> when <paramref name="reach"/> is) and one EndpointSlice with the given pods and their nodes.
    /// </summary>
    public static string ReachService(string? reach, int? nodePort, IEnumerable<(string Address, string Node, bool Ready)> pods)
    {
        var annotation = reach is null ? "{}" : $"{{onehop.dev/reach: {reach}}}";
        var ports = nodePort is { } n ? $"[{{port: 80, targetPort: 8080, nodePort: {n}}}]" : "[{port: 80, targetPort: 8080}]";
        var endpoints = string.Join("\n", pods.Select(p =>
            $"  - {{addresses: [\"{p.Address}\"], nodeName: {p.Node}, conditions: {{ready: {(p.Ready ? "true" : "false")}}}}}"));
        return $"""
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              annotations: {annotation}
            spec:
              type: {(nodePort is null ? "ClusterIP" : "NodePort")}
              ports: {ports}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-1
              labels: {"{"}kubernetes.io/service-name: web{"}"}
            addressType: IPv4
            ports: [{"{"}name: "", port: 8080{"}"}]
            endpoints:
            {endpoints}
            """;
    }
}
