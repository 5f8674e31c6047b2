using System.Collections.Immutable;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>Reads an Ingress's <c>nginx.ingress.kubernetes.io/*</c> annotations through the registry.</summary>
internal static class NginxAnnotationReader
{
    /// <summary>
    /// Every ingress-nginx annotation present, in name order, with what is wrong with it; and the settings of the good
    /// ones over the controller ConfigMap's defaults.
    /// </summary>
    public static (NginxSettings Settings, ImmutableArray<NginxFinding> Findings) Read(IDictionary<string, string>? annotations, NginxControllerConfig? controller = null)
    {
        var defaults = controller?.Defaults.IsEmpty == false;
        if (!defaults && (annotations is null || !annotations.Keys.Any(k => k.StartsWith(NginxAnnotations.Prefix, StringComparison.Ordinal))))
        {
            return (NginxSettings.None, []);
        }

        var builder = new NginxSettingsBuilder();
        controller?.ApplyTo(builder);
        annotations ??= new Dictionary<string, string>();
        var findings = ImmutableArray.CreateBuilder<NginxFinding>();
        foreach (var (key, raw) in annotations.Where(p => p.Key.StartsWith(NginxAnnotations.Prefix, StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var value = raw?.Trim() ?? string.Empty;
            NginxAnnotations.ByKey.TryGetValue(key, out var entry);
            string? problem = null;
            if (entry?.Parse is { } parse)
            {
                builder.Field = $"metadata.annotations[{key}]";
                problem = parse(value, builder);
            }

            findings.Add(new NginxFinding(key, value, entry, problem));
        }

        return (builder.Build(), findings.ToImmutable());
    }
}
