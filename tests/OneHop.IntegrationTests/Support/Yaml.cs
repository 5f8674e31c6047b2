using OneHop.Core.Demo;

namespace OneHop.IntegrationTests.Support;

/// <summary>Manifests for tests: a default IngressClass, Services with their EndpointSlices, Ingresses, a Gateway.</summary>
internal static class Yaml
{
    public const string DefaultClass = """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: onehop
          annotations:
            ingressclass.kubernetes.io/is-default-class: "true"
        spec:
          controller: onehop.dev/ingress-controller

        """;

    /// <summary>
    /// OneHop's GatewayClass, Gateway <c>default/edge</c> with an HTTP listener on each of <paramref name="ports"/>, and
    /// an HTTPRoute that sends everything to port 80 of the Service <paramref name="service"/>.
    /// </summary>
    public static string HttpGateway(IEnumerable<int> ports, string service = "web") => $$"""
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
          listeners: [{{string.Join(", ", ports.Select(p => $"{{name: http-{p}, port: {p}, protocol: HTTP}}"))}}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: {{service}}, namespace: default}
        spec:
          parentRefs: [{name: edge}]
          rules: [{backendRefs: [{name: {{service}}, port: 80}]}]
        """;

    /// <summary>A Service and one EndpointSlice listing each endpoint with its conditions.</summary>
    public static string Service(string name, int port, params Endpoint[] endpoints) => AnnotatedService(name, port, new Dictionary<string, string>(), endpoints);

    /// <summary>A Service with <c>onehop.dev/*</c> annotations (keys without the prefix) and its EndpointSlice.</summary>
    public static string AnnotatedService(string name, int port, IReadOnlyDictionary<string, string> annotations, params Endpoint[] endpoints) => $"""
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          annotations: {"{"}{string.Join(", ", annotations.Select(a => $"\"onehop.dev/{a.Key}\": \"{a.Value}\""))}{"}"}
        spec:
          ports: [{"{"}name: http, port: 80, targetPort: http{"}"}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {name}-slice
          labels:
            kubernetes.io/service-name: {name}
        addressType: IPv4
        ports: [{"{"}name: http, port: {port}{"}"}]
        endpoints:
        {string.Join("\n", endpoints.Select(e => e.ToYaml()))}

        """;

    /// <summary>A Service with one UDP port 53 (named dns) and its EndpointSlice, as kube-dns has.</summary>
    public static string UdpService(string name, int port, params Endpoint[] endpoints) => $"""
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
        spec:
          ports: [{"{"}name: dns, port: 53, protocol: UDP, targetPort: dns{"}"}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {name}-slice
          labels:
            kubernetes.io/service-name: {name}
        addressType: IPv4
        ports: [{"{"}name: dns, port: {port}, protocol: UDP{"}"}]
        endpoints:
        {string.Join("\n", endpoints.Select(e => e.ToYaml()))}

        """;

    public static string Service(string name, TestPods pods) =>
        Service(name, pods.Port, [.. pods.All.Select(p => Endpoint.Ready(p))]);

    public static string Ingress(string name, params (string Host, string Path, string PathType, string Service)[] rules) => $"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {name}
        spec:
          rules:
        {string.Join("\n", rules.Select(r => $"""
              - host: "{r.Host}"
                http:
                  paths:
                    - path: {r.Path}
                      pathType: {r.PathType}
                      backend: {"{"}service: {"{"}name: {r.Service}, port: {"{"}number: 80{"}"}{"}"}{"}"}
            """))}

        """;

    /// <summary>
    /// An Ingress terminating TLS for <paramref name="host"/> with the certificate of Secret
    /// <paramref name="secret"/>, routing all its paths to <paramref name="service"/>; annotations without the
    /// <c>onehop.dev/</c> prefix, or with a prefix of their own (<c>nginx.ingress.kubernetes.io/...</c>).
    /// </summary>
    public static string TlsIngress(string name, string host, string secret, string service, IReadOnlyDictionary<string, string>? annotations = null) => $"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {name}
          annotations: {"{"}{string.Join(", ", (annotations ?? new Dictionary<string, string>()).Select(a => $"\"{(a.Key.Contains('/', StringComparison.Ordinal) ? a.Key : "onehop.dev/" + a.Key)}\": \"{a.Value}\""))}{"}"}
        spec:
          tls:
            - hosts: ["{host}"]
              secretName: {secret}
          rules:
            - host: "{host}"
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend: {"{"}service: {"{"}name: {service}, port: {"{"}number: 80{"}"}{"}"}{"}"}

        """;

    public static string Ingress(string name, string path, string service) => Ingress(name, (string.Empty, path, "Prefix", service));

    /// <summary>
    /// An Ingress of the default namespace with ingress-nginx annotations (each <c>name: value</c>, written after the
    /// <c>nginx.ingress.kubernetes.io/</c> prefix): one rule, <paramref name="path"/> as a Prefix to <paramref name="service"/>'s port 80.
    /// </summary>
    public static string NginxIngress(string name, string host, string service, string path = "/", string? ingressClass = null, params string[] annotations) => $$"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {{name}}
          namespace: default
          annotations:
            x: y
        {{string.Concat(annotations.Select(a => $"    nginx.ingress.kubernetes.io/{a}\n"))}}
        spec:
          {{(ingressClass is null ? "rules:" : $"ingressClassName: {ingressClass}\n  rules:")}}
          - host: {{host}}
            http:
              paths:
              - {path: "{{path}}", pathType: Prefix, backend: {service: {name: {{service}}, port: {number: 80} } } }

        """;

    /// <summary>ingress-nginx's controller ConfigMap <paramref name="key"/> with these data lines (each <c>key: value</c>).</summary>
    public static string NginxControllerMap(Core.State.ObjectKey key, params string[] data) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata: {"{"}name: {key.Name}, namespace: {key.Namespace}{"}"}
        data:
        {string.Concat(data.Select(d => $"  {d}\n"))}
        """;

    /// <summary>One EndpointSlice entry.</summary>
    internal sealed record Endpoint(string Address, string? Pod, bool? ReadyCondition = null, bool? ServingCondition = null, bool? TerminatingCondition = null, string? Zone = null)
    {
        public static Endpoint Ready(DemoPod pod) => new(pod.Options.Address, pod.Options.Name);

        public static Endpoint NotReady(DemoPod pod) => new(pod.Options.Address, pod.Options.Name, ReadyCondition: false);

        public static Endpoint Terminating(DemoPod pod) => new(pod.Options.Address, pod.Options.Name, ReadyCondition: false, ServingCondition: true, TerminatingCondition: true);

        public string ToYaml()
        {
            var conditions = new List<string>();
            if (ReadyCondition is { } r)
            {
                conditions.Add($"ready: {r.ToString().ToLowerInvariant()}");
            }

            if (ServingCondition is { } s)
            {
                conditions.Add($"serving: {s.ToString().ToLowerInvariant()}");
            }

            if (TerminatingCondition is { } t)
            {
                conditions.Add($"terminating: {t.ToString().ToLowerInvariant()}");
            }

            var text = $"  - addresses: [\"{Address}\"]\n";
            if (conditions.Count > 0)
            {
                text += $"    conditions: {{{string.Join(", ", conditions)}}}\n";
            }

            if (Pod is not null)
            {
                text += $"    targetRef: {{kind: Pod, name: {Pod}}}\n";
            }

            if (Zone is not null)
            {
                text += $"    zone: {Zone}\n";
            }

            return text.TrimEnd('\n');
        }
    }
}
