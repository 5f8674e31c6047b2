using System.Collections.Immutable;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.State;

namespace OneHop.Core.Migration;

/// <summary>
/// ingress-nginx's controller ConfigMap for the conversion (<c>migrate --nginx-configmap</c>): its defaults, which every
/// Ingress's annotations start from as when OneHop serves them, and the headers of <c>add-headers</c>,
/// <c>proxy-set-headers</c> and <c>hide-headers</c>, which become header modifiers on every rule. Every key is noted:
/// how it maps, or why it does not.
/// </summary>
internal sealed record MigrationController(NginxControllerConfig Config, NginxGlobalHeaders Headers, ImmutableArray<MigrationNote> Notes)
{
    public static readonly MigrationController None = new(NginxControllerConfig.None, NginxGlobalHeaders.None, []);

    /// <summary>Keys the conversion writes as header modifiers, and how.</summary>
    private static readonly ImmutableDictionary<string, string> HeaderKeys = new Dictionary<string, string>
    {
        ["add-headers"] = "its ConfigMap's headers are set by a ResponseHeaderModifier on every rule (nginx's more_set_headers replaces, as set does)",
        ["proxy-set-headers"] = "its ConfigMap's headers are set by a RequestHeaderModifier on every rule",
        ["hide-headers"] = "removed by a ResponseHeaderModifier on every rule",
        ["global-allowed-response-headers"] = "checked against the custom-headers ConfigMaps, whose headers are written only when allowed, as ingress-nginx requires",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    public static MigrationController Read(ClusterState cluster, ObjectKey? key)
    {
        if (key is not { } map)
        {
            return None;
        }

        var reference = new ObjectRef(KubeKinds.ConfigMap, map);
        var origin = cluster.OriginOf(reference);
        var notes = ImmutableArray.CreateBuilder<MigrationNote>();
        MigrationNote Note(string field, MigrationNoteKind kind, string message) => new(map, origin, field, kind, message) { Object = "ConfigMap" };
        if (!cluster.ConfigMaps.TryGetValue(map, out var configMap))
        {
            notes.Add(Note("--nginx-configmap", MigrationNoteKind.Problem, "no such ConfigMap here: the Ingresses are converted without the controller's settings"));
            return None with { Notes = notes.ToImmutable() };
        }

        var diagnostics = new List<Diagnostic>();
        var (config, _) = NginxControllerConfigReader.Read(map, configMap, diagnostics, reference, origin);
        var (headers, _) = NginxGlobalHeaders.Resolve(config, cluster, null, diagnostics);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var diagnostic in diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info && d.Field is not null && d.Code != DiagnosticCodes.UnsupportedConfigMapKey && d.Code != DiagnosticCodes.UnknownConfigMapKey))
        {
            reported.Add(diagnostic.Field!);
            notes.Add(Note(diagnostic.Field!, diagnostic.Severity == DiagnosticSeverity.Error ? MigrationNoteKind.Problem : MigrationNoteKind.NotMapped, diagnostic.Message));
        }

        foreach (var name in (configMap.Data?.Keys ?? []).Order(StringComparer.Ordinal))
        {
            var field = $"data[{name}]";
            if (reported.Contains(field))
            {
                continue;
            }

            notes.Add(
                HeaderKeys.TryGetValue(name, out var how) ? Note(field, MigrationNoteKind.Difference, how)
                : NginxAnnotations.ByKey.TryGetValue(NginxAnnotations.Prefix + name, out var annotation) && annotation.Parse is not null && NginxConfigMapKeys.ByName.TryGetValue(name, out var entry) && entry.Parse is not null
                    ? Note(field, GatewayApiEquivalents.Mapped.Contains(name) ? MigrationNoteKind.Difference : MigrationNoteKind.NotMapped, GatewayApiEquivalents.Mapped.Contains(name)
                        ? "the default of the annotation of the same name: written on every Ingress without that annotation as the annotation is"
                        : $"the default of the annotation of the same name: {GatewayApiEquivalents.Reason(name)}")
                : Note(field, MigrationNoteKind.NotMapped, "a setting of the controller itself, which Gateway API leaves to the implementation"));
        }

        return new MigrationController(config, headers, notes.ToImmutable());
    }
}
