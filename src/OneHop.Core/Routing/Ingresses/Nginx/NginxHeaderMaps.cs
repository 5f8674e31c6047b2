using System.Collections.Immutable;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// Reads a ConfigMap whose data are HTTP headers (ingress-nginx's custom-headers, add-headers and proxy-set-headers):
/// names and values checked once, at translation, so that requests only copy them.
/// </summary>
internal static class NginxHeaderMaps
{
    /// <summary>
    /// The headers of <paramref name="map"/> in name order; null, with why, when the ConfigMap does not exist or an entry
    /// is refused by <paramref name="check"/> (name, value → why, or null).
    /// </summary>
    public static ImmutableArray<KeyValuePair<string, string>>? Read(ClusterState cluster, ObjectKey map, Func<string, string, string?> check, out string problem)
    {
        problem = string.Empty;
        if (!cluster.ConfigMaps.TryGetValue(map, out var configMap))
        {
            problem = $"ConfigMap {map} does not exist";
            return null;
        }

        var headers = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        foreach (var (name, value) in (configMap.Data ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var why = !NginxValues.HeaderName().IsMatch(name) ? $"'{name}' is not a header name (letters, digits, - and _)" : check(name, value ?? string.Empty);
            if (why is not null)
            {
                problem = $"ConfigMap {map} data[{name}]: {why}";
                return null;
            }

            headers.Add(new(name, value ?? string.Empty));
        }

        return headers.ToImmutable();
    }

    /// <summary>
    /// An Ingress's own ConfigMap of headers (custom-headers, auth-proxy-set-headers), as <see cref="Read"/> reads it; it
    /// must be in the Ingress's namespace, as ingress-nginx requires. Null when it cannot be used, with the error on
    /// <paramref name="field"/> added to <paramref name="errors"/>: the Ingress keeps its last good version.
    /// </summary>
    public static ImmutableArray<KeyValuePair<string, string>>? ReadForIngress(CompiledIngress ingress, ObjectKey map, string field, ClusterState cluster, Func<string, string, string?> check, List<Diagnostic> errors)
    {
        if (map.Namespace != ingress.Ref.Namespace)
        {
            errors.Add(Diagnostic.Error(DiagnosticCodes.InvalidAnnotation, $"ConfigMap {map} is in another namespace than the Ingress; ingress-nginx allows only the Ingress's own; the Ingress keeps its last good version", ingress.Ref, ingress.Origin, field));
            return null;
        }

        var headers = Read(cluster, map, check, out var problem);
        if (headers is null)
        {
            var code = cluster.ConfigMaps.ContainsKey(map) ? DiagnosticCodes.InvalidAnnotation : DiagnosticCodes.UnknownConfigMap;
            errors.Add(Diagnostic.Error(code, $"{problem}; the Ingress keeps its last good version", ingress.Ref, ingress.Origin, field));
        }

        return headers;
    }

    /// <summary>ingress-nginx's check of a custom-headers value (its customheaders.ValidValue).</summary>
    public static string? LiteralValue(string value) =>
        NginxValues.HeaderValue().IsMatch(value) ? null : $"'{value}' is not a header value ingress-nginx accepts (printable ASCII without control characters, tabs or a few symbols)";

    /// <summary>
    /// <paramref name="edits"/> and <paramref name="more"/> set one after the other (the later value wins for a name, compared
    /// without case as HTTP does), and <paramref name="hide"/> removed unless set here.
    /// </summary>
    public static HeaderEdits? Merge(ImmutableArray<KeyValuePair<string, string>> edits, ImmutableArray<KeyValuePair<string, string>> more, ImmutableArray<string> hide = default)
    {
        hide = hide.IsDefault ? [] : hide;
        if (edits.IsEmpty && more.IsEmpty && hide.IsEmpty)
        {
            return null;
        }

        var set = new Dictionary<string, KeyValuePair<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in edits.Concat(more))
        {
            set[header.Key] = header;
        }

        return new HeaderEdits([.. set.Values.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)], [], [.. hide.Where(h => !set.ContainsKey(h))]);
    }
}
