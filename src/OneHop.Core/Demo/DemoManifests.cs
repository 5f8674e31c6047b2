using System.Globalization;
using System.Text;

namespace OneHop.Core.Demo;

/// <summary>
/// Writes the demo's manifests and config: an IngressClass, two Services with their EndpointSlices (pods on
/// 127.0.0.x), an Ingress, and a config file with a static upstream standing in for a legacy server.
/// </summary>
internal static class DemoManifests
{
    public const string ConfigFileName = "onehop.yaml";

    public static void Write(string manifestDirectory, string configPath, DemoCluster cluster)
    {
        Directory.CreateDirectory(manifestDirectory);
        File.WriteAllText(Path.Combine(manifestDirectory, "ingressclass.yaml"), IngressClass);
        foreach (var service in cluster.Pods.GroupBy(p => p.Options.Service))
        {
            File.WriteAllText(Path.Combine(manifestDirectory, $"{service.Key}.yaml"), ServiceAndSlices(service.Key, [.. service]));
        }

        File.WriteAllText(Path.Combine(manifestDirectory, "ingress.yaml"), Ingress);
        File.WriteAllText(configPath, Config(cluster.Legacy));
    }

    private const string IngressClass = """
        # OneHop serves Ingresses whose IngressClass names its controller. This one is also the default class,
        # so Ingresses that name no class are served too.
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: onehop
          annotations:
            ingressclass.kubernetes.io/is-default-class: "true"
        spec:
          controller: onehop.dev/ingress-controller

        """;

    private const string Ingress = """
        # Requests for / go to the web pods, /api to the api pods. Edit and save: routing changes live.
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: demo
          namespace: demo
        spec:
          ingressClassName: onehop
          rules:
            - http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: web
                        port:
                          number: 80
                  - path: /api
                    pathType: Prefix
                    backend:
                      service:
                        name: api
                        port:
                          name: http

        """;

    private static string ServiceAndSlices(string service, IReadOnlyList<DemoPod> pods)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            # Service {service}: OneHop sends requests straight to the pod addresses below, never to a ClusterIP.
            # Set ready: false on an endpoint (or delete it) and save: it stops receiving requests at once.
            apiVersion: v1
            kind: Service
            metadata:
              name: {service}
              namespace: demo
            spec:
              selector:
                app: {service}
              ports:
                - name: http
                  port: 80
                  targetPort: http

            """);

        // One slice per pod port: normally all pods share one, as in a real cluster.
        foreach (var group in pods.GroupBy(p => p.Port))
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: {service}-{group.Key}
                  namespace: demo
                  labels:
                    kubernetes.io/service-name: {service}
                addressType: IPv4
                ports:
                  - name: http
                    port: {group.Key}
                endpoints:

                """);
            foreach (var pod in group)
            {
                text.Append(CultureInfo.InvariantCulture, $"""
                      - addresses: ["{pod.Options.Address}"]
                        conditions:
                          ready: true
                        nodeName: {pod.Options.Node}
                        zone: {pod.Options.Zone}
                        targetRef:
                          kind: Pod
                          namespace: demo
                          name: {pod.Options.Name}

                    """);
            }
        }

        return text.ToString();
    }

    private static string Config(DemoPod legacy) => $"""
        # OneHop's own config: servers outside Kubernetes, routed beside the Ingress rules.
        upstreams:
          - name: legacy
            scheme: http
            endpoints:
              - address: {legacy.Endpoint}
        routes:
          - name: legacy-app
            path: /legacy
            upstream: legacy

        """;
}
