using System.Collections.Immutable;
using k8s.Models;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>One annotation of one Ingress in the migration report: its status and the difference or reason.</summary>
internal sealed record NginxAnnotationReport(string Annotation, string Value, NginxAnnotationStatus Status, string Note);

/// <summary>One Ingress: where it came from and each of its ingress-nginx annotations.</summary>
internal sealed record NginxIngressReport(string Namespace, string Name, string Origin, ImmutableArray<NginxAnnotationReport> Annotations)
{
    public bool Unsupported => Annotations.Any(a => a.Status is NginxAnnotationStatus.Unsupported or NginxAnnotationStatus.Unknown or NginxAnnotationStatus.Invalid);
}

/// <summary>Counts over every Ingress read.</summary>
internal sealed record NginxMigrationSummary(int Ingresses, int IngressesFullyServed, int Honoured, int Difference, int Unsupported, int Unknown, int Invalid);

/// <summary>
/// <c>onehop migrate</c>'s report: every Ingress's ingress-nginx annotations as honoured, honoured with a difference
/// (named), or not served (unsupported, unknown, or a bad value, with why), and a summary; with the controller ConfigMap,
/// each of its keys too. Pure: the command reads the Ingresses from a directory or the cluster and prints this.
/// </summary>
internal sealed record NginxMigrationReport(ImmutableArray<NginxIngressReport> Ingresses, NginxMigrationSummary Summary)
{
    /// <summary>The controller ConfigMap's keys, when <c>--nginx-configmap</c> named one; null otherwise.</summary>
    public NginxControllerReport? Controller { get; init; }

    public bool AnythingUnsupported => Ingresses.Any(i => i.Unsupported) || Controller?.Unsupported == true;

    public static NginxMigrationReport Of(IEnumerable<(V1Ingress Ingress, ObjectOrigin Origin)> ingresses, NginxControllerReport? controller = null)
    {
        var reports = ImmutableArray.CreateBuilder<NginxIngressReport>();
        foreach (var (ingress, origin) in ingresses.OrderBy(i => i.Ingress.Metadata?.NamespaceProperty, StringComparer.Ordinal).ThenBy(i => i.Ingress.Metadata?.Name, StringComparer.Ordinal))
        {
            var (_, findings) = NginxAnnotationReader.Read(ingress.Metadata?.Annotations);
            reports.Add(new NginxIngressReport(
                ingress.Metadata?.NamespaceProperty ?? "default",
                ingress.Metadata?.Name ?? string.Empty,
                origin.ToString(),
                [.. findings.Select(Report)]));
        }

        var all = reports.SelectMany(r => r.Annotations).ToList();
        int Count(NginxAnnotationStatus status) => all.Count(a => a.Status == status);
        return new NginxMigrationReport(
            reports.ToImmutable(),
            new NginxMigrationSummary(
                reports.Count,
                reports.Count(r => !r.Unsupported),
                Count(NginxAnnotationStatus.Honoured),
                Count(NginxAnnotationStatus.Difference),
                Count(NginxAnnotationStatus.Unsupported),
                Count(NginxAnnotationStatus.Unknown),
                Count(NginxAnnotationStatus.Invalid)))
        {
            Controller = controller,
        };
    }

    private static NginxAnnotationReport Report(NginxFinding finding) => finding switch
    {
        { Entry: null } => new(finding.Key, finding.Value, NginxAnnotationStatus.Unknown, "not an ingress-nginx annotation OneHop knows; it would have no effect"),
        { Problem: { } problem } => new(finding.Key, finding.Value, NginxAnnotationStatus.Invalid, problem),
        { Entry: { Support: NginxSupport.Unsupported } entry } => new(finding.Key, finding.Value, NginxAnnotationStatus.Unsupported, entry.Note),
        { Entry: { Support: NginxSupport.Difference } entry } => new(finding.Key, finding.Value, NginxAnnotationStatus.Difference, entry.Note),
        _ => new(finding.Key, finding.Value, NginxAnnotationStatus.Honoured, finding.Entry!.Note),
    };
}
