using System.Collections.Immutable;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// The header settings of ingress-nginx's controller ConfigMap, read once per translation for every served Ingress:
/// <c>proxy-set-headers</c> (request headers to the pods), <c>add-headers</c> (response headers), <c>hide-headers</c>
/// (pod response headers removed) and <c>global-allowed-response-headers</c> (what custom-headers may set).
/// </summary>
internal sealed record NginxGlobalHeaders(
    ImmutableArray<KeyValuePair<string, string>> Request,
    ImmutableArray<KeyValuePair<string, string>> Response,
    ImmutableArray<string> Hide,
    ImmutableArray<string> AllowedResponseHeaders)
{
    public static readonly NginxGlobalHeaders None = new([], [], [], []);

    /// <summary>
    /// The headers in force, with what is wrong reported on the controller ConfigMap; and the version to remember as last
    /// good (null when a ConfigMap it names is missing or has a bad entry: then the last good headers stay in force).
    /// </summary>
    public static (NginxGlobalHeaders InForce, NginxGlobalHeaders? LastGood) Resolve(NginxControllerConfig controller, ClusterState cluster, NginxGlobalHeaders? lastGood, List<Diagnostic> diagnostics)
    {
        if (controller.Defaults.IsEmpty)
        {
            return (None, None);
        }

        var settings = new NginxSettingsBuilder();
        controller.ApplyTo(settings);
        var reference = new ObjectRef(KubeKinds.ConfigMap, controller.Map);
        var origin = cluster.OriginOf(reference);
        var good = true;
        var request = Read(settings.ProxySetHeaders, "proxy-set-headers");
        var response = Read(settings.AddHeaders, "add-headers");
        var headers = new NginxGlobalHeaders(request, response, settings.HideHeaders, settings.AllowedResponseHeaders);
        if (good)
        {
            return (headers, headers);
        }

        if (lastGood is not null)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.LastGoodKept, "the headers of add-headers and proxy-set-headers stay as they last were without a problem", reference, origin));
            return (lastGood with { Hide = headers.Hide, AllowedResponseHeaders = headers.AllowedResponseHeaders }, lastGood);
        }

        return (headers, null);

        ImmutableArray<KeyValuePair<string, string>> Read(ObjectKey? map, string key)
        {
            if (map is not { } name)
            {
                return [];
            }

            var field = $"data[{key}]";
            var skipped = new List<string>();
            var read = NginxHeaderMaps.Read(cluster, name, (header, value) => Value(header, value, skipped), out var problem);
            if (read is null)
            {
                good = false;
                var code = cluster.ConfigMaps.ContainsKey(name) ? DiagnosticCodes.InvalidConfigMapEntry : DiagnosticCodes.UnknownConfigMap;
                diagnostics.Add(Diagnostic.Error(code, $"{problem}; its headers are not applied", reference, origin, field));
                return [];
            }

            foreach (var header in skipped)
            {
                diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.UnsupportedConfigMapKey, $"ConfigMap {name} data[{header}] uses an nginx variable, which OneHop does not evaluate; that header is left out", reference, origin, field));
            }

            return [.. read.Value.Where(h => !skipped.Contains(h.Key))];
        }
    }

    /// <summary>A value nginx would take as it is (control characters refused); one with an nginx variable is noted in <paramref name="skipped"/>.</summary>
    private static string? Value(string name, string value, List<string> skipped)
    {
        if (value.Length == 0 || value.Any(c => c < ' ' || c == 0x7f))
        {
            return "the value must be non-empty and fit in an HTTP header (no control characters)";
        }

        if (NginxValues.Variable().IsMatch(value))
        {
            skipped.Add(name);
        }

        return null;
    }

    public bool Equals(NginxGlobalHeaders? other) =>
        other is not null && Request.SequenceEqual(other.Request) && Response.SequenceEqual(other.Response) && Hide.SequenceEqual(other.Hide) && AllowedResponseHeaders.SequenceEqual(other.AllowedResponseHeaders);

    public override int GetHashCode() => HashCode.Combine(Request.Length, Response.Length, Hide.Length);
}
