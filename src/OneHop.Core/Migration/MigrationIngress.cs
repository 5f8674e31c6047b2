using System.Collections.Immutable;
using k8s.Models;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Migration;

/// <summary>One path of an Ingress rule, its backend already a Gateway API BackendRef.</summary>
internal sealed record MigrationPath(string Host, string Path, string PathType, BackendReference Backend, string Field);

/// <summary>
/// An Ingress read for the conversion: its class, its ingress-nginx annotations (parsed by OneHop's own registry), its
/// paths with their backends resolved to port numbers, its TLS hosts. <see cref="Read"/> refuses an Ingress whose
/// rules cannot become routes, with the field and why; the others are converted.
/// </summary>
internal sealed record MigrationIngress(
    ObjectKey Key,
    ObjectOrigin Origin,
    string ClassName,
    NginxSettings Settings,
    ImmutableArray<NginxFinding> Findings,
    ImmutableArray<MigrationPath> Paths,
    BackendReference? DefaultBackend,
    ImmutableArray<(string Host, string Secret)> Tls)
{
    /// <summary>ingress2gateway's default class for ingress-nginx Ingresses that name none.</summary>
    public const string DefaultClass = "nginx";

    /// <summary><c>ssl-passthrough: "true"</c>: the hosts' TLS goes to the pods untouched.</summary>
    public bool Passthrough => Findings.Any(f => f.Key == NginxAnnotations.Prefix + "ssl-passthrough" && NginxValues.Bool(f.Value) == true);

    /// <summary>The hosts of the rules, in the order they first appear ("" for a rule without a host).</summary>
    public IEnumerable<string> Hosts => Paths.Select(p => p.Host).Distinct(StringComparer.Ordinal);

    public static string Annotation(string name) => $"metadata.annotations[{NginxAnnotations.Prefix}{name}]";

    /// <summary>The Ingress, or null and the notes saying which field keeps it from being converted.</summary>
    /// <param name="servicePort">A Service's port number by port name, null when the Service or the port is unknown.</param>
    /// <param name="controller">The controller ConfigMap's defaults, which the annotations override; null for none.</param>
    public static MigrationIngress? Read(V1Ingress ingress, ObjectOrigin origin, Func<ObjectKey, string, int?> servicePort, List<MigrationNote> notes, NginxControllerConfig? controller = null)
    {
        var key = new ObjectKey(ingress.Metadata?.NamespaceProperty ?? "default", ingress.Metadata?.Name ?? string.Empty);
        var problems = new List<(string Field, string Message)>();
        var paths = ImmutableArray.CreateBuilder<MigrationPath>();
        var rules = ingress.Spec?.Rules ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var rulePaths = rules[i].Http?.Paths ?? [];
            for (var j = 0; j < rulePaths.Count; j++)
            {
                var field = $"spec.rules[{i}].http.paths[{j}]";
                var path = rulePaths[j];
                var type = string.IsNullOrEmpty(path.PathType) ? "ImplementationSpecific" : path.PathType;
                if (type is not ("Exact" or "Prefix" or "ImplementationSpecific"))
                {
                    problems.Add(($"{field}.pathType", $"'{type}' is not Exact, Prefix or ImplementationSpecific"));
                    continue;
                }

                var value = string.IsNullOrEmpty(path.Path) ? "/" : path.Path;
                if (!value.StartsWith('/'))
                {
                    problems.Add(($"{field}.path", $"'{value}' does not start with /"));
                    continue;
                }

                if (Backend(key.Namespace, path.Backend, $"{field}.backend", servicePort, problems) is { } backend)
                {
                    paths.Add(new MigrationPath(rules[i].Host ?? string.Empty, value, type, backend, field));
                }
            }
        }

        var defaultBackend = ingress.Spec?.DefaultBackend is { } fallback ? Backend(key.Namespace, fallback, "spec.defaultBackend", servicePort, problems) : null;
        if (problems.Count == 0 && paths.Count == 0 && defaultBackend is null)
        {
            problems.Add(("spec", "neither rules with paths nor a defaultBackend: nothing to route"));
        }

        if (problems.Count > 0)
        {
            notes.AddRange(problems.Select(p => new MigrationNote(key, origin, p.Field, MigrationNoteKind.Problem, p.Message)));
            return null;
        }

        var tls = ImmutableArray.CreateBuilder<(string, string)>();
        var tlsEntries = ingress.Spec?.Tls ?? [];
        for (var i = 0; i < tlsEntries.Count; i++)
        {
            if (string.IsNullOrEmpty(tlsEntries[i].SecretName))
            {
                notes.Add(new MigrationNote(key, origin, $"spec.tls[{i}].secretName", MigrationNoteKind.NotMapped, "no Secret: ingress-nginx serves its default certificate, a Gateway listener needs its own; these hosts get no HTTPS listener"));
                continue;
            }

            foreach (var host in tlsEntries[i].Hosts ?? [])
            {
                tls.Add((host, tlsEntries[i].SecretName));
            }
        }

        var (settings, findings) = NginxAnnotationReader.Read(ingress.Metadata?.Annotations, controller);
        var className = ingress.Spec?.IngressClassName
            ?? (ingress.Metadata?.Annotations?.TryGetValue(Annotations.IngressClass, out var annotated) == true ? annotated : null)
            ?? DefaultClass;
        return new MigrationIngress(key, origin, className, settings, findings, paths.ToImmutable(), defaultBackend, tls.ToImmutable());
    }

    private static BackendReference? Backend(string ns, V1IngressBackend? backend, string field, Func<ObjectKey, string, int?> servicePort, List<(string, string)> problems)
    {
        if (backend?.Service is not { } service)
        {
            problems.Add((field, backend?.Resource is null ? "no backend" : "a resource backend: Gateway API routes reach Services only"));
            return null;
        }

        if (string.IsNullOrEmpty(service.Name))
        {
            problems.Add(($"{field}.service.name", "missing"));
            return null;
        }

        var port = service.Port?.Number;
        if (port is null && service.Port?.Name is { Length: > 0 } name)
        {
            port = servicePort(new ObjectKey(ns, service.Name), name);
            if (port is null)
            {
                problems.Add(($"{field}.service.port.name", $"Service {ns}/{service.Name} has no port named '{name}' that is known here, and a BackendRef needs the number"));
                return null;
            }
        }

        if (port is not (> 0 and < 65536))
        {
            problems.Add(($"{field}.service.port", "neither a port number from 1 to 65535 nor a port name"));
            return null;
        }

        return new BackendReference { Name = service.Name, Port = port };
    }
}
