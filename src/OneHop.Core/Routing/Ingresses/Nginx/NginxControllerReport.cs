using System.Collections.Immutable;
using k8s.Models;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>One key of the controller ConfigMap in the migration report: its status and the difference or reason.</summary>
internal sealed record NginxConfigMapKeyReport(string Key, string Value, NginxAnnotationStatus Status, string Note);

/// <summary>
/// ingress-nginx's controller ConfigMap (<c>migrate --nginx-configmap</c>) in the migration report: every key as honoured,
/// honoured with a difference, not supported (why), unknown, or a bad value, judged as <c>run --nginx-configmap</c> would
/// apply it. A ConfigMap that is not there is a problem too: the Ingresses would be served without its settings.
/// </summary>
internal sealed record NginxControllerReport(string Namespace, string Name, bool Found, ImmutableArray<NginxConfigMapKeyReport> Keys)
{
    public bool Unsupported => !Found || Keys.Any(k => k.Status is NginxAnnotationStatus.Unsupported or NginxAnnotationStatus.Unknown or NginxAnnotationStatus.Invalid);

    public int Count(NginxAnnotationStatus status) => Keys.Count(k => k.Status == status);

    public static NginxControllerReport Of(ObjectKey key, V1ConfigMap? map)
    {
        var keys = (map?.Data ?? new Dictionary<string, string>())
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Assess(p.Key, p.Value?.Trim() ?? string.Empty));
        return new NginxControllerReport(key.Namespace, key.Name, map is not null, [.. keys]);
    }

    /// <summary>
    /// What OneHop makes of one key: unknown, not supported (the entry's note), a bad value (the parser's words), or
    /// applied, honoured or with a difference (the note). <c>run</c> reports the same through <see cref="NginxControllerConfigReader"/>.
    /// </summary>
    public static NginxConfigMapKeyReport Assess(string name, string value)
    {
        if (!NginxConfigMapKeys.ByName.TryGetValue(name, out var entry))
        {
            return new(name, value, NginxAnnotationStatus.Unknown, "not a key of ingress-nginx's ConfigMap OneHop knows; it would have no effect");
        }

        if (entry.Parse is null)
        {
            return new(name, value, NginxAnnotationStatus.Unsupported, NginxTracingFlags.Advice(name, value) is { } flag ? $"{entry.Note}: {flag}" : entry.Note);
        }

        if (entry.Parse(value, new NginxSettingsBuilder()) is { } problem)
        {
            return new(name, value, NginxAnnotationStatus.Invalid, problem);
        }

        return new(name, value, entry.Support == NginxSupport.Difference ? NginxAnnotationStatus.Difference : NginxAnnotationStatus.Honoured, entry.Note);
    }
}
