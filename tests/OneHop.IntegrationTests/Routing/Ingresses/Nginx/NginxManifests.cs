using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>The manifests of the ingress-nginx end-to-end tests: Ingresses of the <c>nginx</c> class to the echo pods.</summary>
internal static class NginxManifests
{
    public const string IngressClass = """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: nginx
        spec:
          controller: k8s.io/ingress-nginx
        """;

    /// <summary>
    /// An Ingress in the echo pods' namespace with one rule to <paramref name="service"/>:8080; each annotation written
    /// <c>name: value</c> without the <c>nginx.ingress.kubernetes.io/</c> prefix (quote values YAML would not read as text).
    /// </summary>
    public static string Ingress(string name, string host, string service, string[]? annotations = null, string path = "/", string pathType = "Prefix")
    {
        var lines = annotations is { Length: > 0 }
            ? "\n  annotations:" + string.Concat(annotations.Select(a => $"\n    nginx.ingress.kubernetes.io/{a}"))
            : string.Empty;
        return $$"""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: {{name}}
              namespace: {{Infra}}{{lines}}
            spec:
              ingressClassName: nginx
              rules:
              - host: {{host}}
                http:
                  paths:
                  - {path: {{path}}, pathType: {{pathType}}, backend: {service: {name: {{service}}, port: {number: 8080 } } } }
            """;
    }

    /// <summary>Manifests in one YAML stream.</summary>
    public static string Stream(params string[] manifests) => string.Join("\n---\n", manifests);
}
