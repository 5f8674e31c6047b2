using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Telemetry;

/// <summary>
/// docs/metrics.md read as data: each table row <c>| `name` | type | unit | labels | meaning |</c>. A name ending in
/// <c>*</c> stands for a family of the runtime's own metrics by prefix.
/// </summary>
internal static partial class MetricsCatalog
{
    public static string File { get; } = Path.Combine(RepositoryRoot.Path, "docs", "metrics.md");

    /// <summary>Exported name → type (counter, gauge, histogram).</summary>
    public static IReadOnlyDictionary<string, string> Load() =>
        System.IO.File.ReadAllLines(File)
            .Select(l => Row().Match(l))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is in <paramref name="catalog"/>, itself or by a <c>prefix*</c> row.</summary>
    public static bool Covers(IReadOnlyDictionary<string, string> catalog, string name) =>
        catalog.ContainsKey(name) || catalog.Keys.Any(k => k.EndsWith('*') && name.StartsWith(k[..^1], StringComparison.Ordinal));

    /// <summary>
    /// The name and type the Prometheus exporter gives an instrument: dots become underscores, the unit a suffix
    /// (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>, <c>{thing}</c> → nothing), counters end in <c>_total</c>.
    /// </summary>
    public static (string Name, string Type) Exported(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        var suffix = instrument.Unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => string.Empty,
        };
        if (suffix.Length > 0 && !name.EndsWith(suffix, StringComparison.Ordinal))
        {
            name += suffix;
        }

        var type = instrument.GetType().Name switch
        {
            var t when t.StartsWith("Histogram", StringComparison.Ordinal) => "histogram",
            var t when t.StartsWith("Counter", StringComparison.Ordinal) || t.StartsWith("ObservableCounter", StringComparison.Ordinal) => "counter",
            _ => "gauge",
        };
        return (type == "counter" ? name + "_total" : name, type);
    }

    [GeneratedRegex(@"^\| `(?<name>[a-z0-9_*]+)` \| (?<type>counter|gauge|histogram|various) \|")]
    private static partial Regex Row();
}
