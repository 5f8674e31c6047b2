using System.Collections.Immutable;
using k8s.Models;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// Reads ingress-nginx's controller ConfigMap (<c>--nginx-configmap</c>). Every key is accounted for: applied, reported
/// as not supported with why, or reported as unknown; a bad value is an error and the last good ConfigMap stays in force.
/// </summary>
internal static class NginxControllerConfigReader
{
    /// <summary>
    /// The controller ConfigMap in force for this translation, with what is wrong with it reported; and the last good
    /// version to remember (this one, unless it has a bad value).
    /// </summary>
    public static (NginxControllerConfig InForce, NginxControllerConfig? LastGood) Resolve(TranslatorInput input, List<Diagnostic> diagnostics)
    {
        if (input.Config.Ingress.NginxConfigMap is not { } key)
        {
            return (NginxControllerConfig.None, null);
        }

        var reference = new ObjectRef(KubeKinds.ConfigMap, key);
        if (!input.Cluster.ConfigMaps.TryGetValue(key, out var map))
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnknownConfigMap, "the ConfigMap named by --nginx-configmap does not exist (yet); the Ingresses get OneHop's defaults", reference, new ObjectOrigin("config")));
            return (NginxControllerConfig.None, null);
        }

        var origin = input.Cluster.OriginOf(reference);
        var (config, problems) = Read(key, map, diagnostics, reference, origin);
        if (problems == 0)
        {
            return (config, config);
        }

        if (input.Memory.LastGoodNginxConfig is { } lastGood && lastGood.Map == key)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.LastGoodKept, "this version has errors; its last good version stays in force", reference, origin));
            return (lastGood, lastGood);
        }

        // With no good version yet, its good keys apply, as an Ingress without a last good version routes without its bad annotations.
        return (config, null);
    }

    /// <summary>The ConfigMap's good keys with a OneHop meaning; the rest reported. Returns how many values are bad.</summary>
    public static (NginxControllerConfig Config, int Problems) Read(ObjectKey key, V1ConfigMap map, List<Diagnostic> diagnostics, ObjectRef reference, ObjectOrigin origin)
    {
        var defaults = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        var problems = 0;
        foreach (var (name, raw) in (map.Data ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var field = $"data[{name}]";
            var value = raw?.Trim() ?? string.Empty;
            var assessed = NginxControllerReport.Assess(name, value);
            switch (assessed.Status)
            {
                case NginxAnnotationStatus.Unknown:
                    diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnknownConfigMapKey, "not a key of ingress-nginx's ConfigMap OneHop knows; it has no effect (see docs/ingress-nginx.md)", reference, origin, field));
                    break;
                case NginxAnnotationStatus.Unsupported:
                    diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnsupportedConfigMapKey, $"not supported, so not applied: {assessed.Note}", reference, origin, field));
                    break;
                case NginxAnnotationStatus.Invalid:
                    problems++;
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidConfigMapEntry, $"{assessed.Note}; the last good version of the ConfigMap stays in force", reference, origin, field));
                    break;
                default:
                    defaults.Add(new(name, value));
                    break;
            }
        }

        return (new NginxControllerConfig(key, defaults.ToImmutable()), problems);
    }
}
