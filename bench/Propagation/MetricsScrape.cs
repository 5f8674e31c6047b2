using System.Globalization;

namespace Propagation;

/// <summary>
/// One reading of OneHop's <c>/metrics</c> (Prometheus text): samples by their full name with labels, e.g.
/// <c>onehop_snapshot_builds_total{result="success"}</c>. Two readings give the window's rebuilds and their cost.
/// </summary>
internal sealed class MetricsScrape(IReadOnlyDictionary<string, double> samples)
{
    public static async Task<MetricsScrape> ReadAsync(HttpClient client, int adminPort, CancellationToken cancellationToken)
    {
        var text = await client.GetStringAsync(new Uri($"http://127.0.0.1:{adminPort}/metrics"), cancellationToken);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (line.Length == 0 || line[0] == '#' || space < 0)
            {
                continue;
            }

            if (double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                // The exporter writes a series without labels as name{}; keep it under its bare name.
                var name = line[..space];
                samples[name.EndsWith("{}", StringComparison.Ordinal) ? name[..^2] : name] = value;
            }
        }

        return new MetricsScrape(samples);
    }

    /// <summary>The sample's value, or NaN when OneHop does not export it.</summary>
    public double this[string name] => samples.TryGetValue(name, out var value) ? value : double.NaN;

    /// <summary>The sum of every series of <paramref name="name"/>, whatever their labels.</summary>
    public double Sum(string name) => samples.Where(s => s.Key.StartsWith(name + "{", StringComparison.Ordinal)).Sum(s => s.Value);

    /// <summary>Cumulative histogram buckets of <paramref name="histogram"/>, by upper bound (+Inf last).</summary>
    public IReadOnlyList<(double UpperBound, double Count)> Buckets(string histogram)
    {
        var prefix = histogram + "_bucket{le=\"";
        return [.. samples
            .Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(s => (Bound: s.Key[prefix.Length..^2], s.Value))
            .Select(s => (s.Bound == "+Inf" ? double.PositiveInfinity : double.Parse(s.Bound, CultureInfo.InvariantCulture), s.Value))
            .OrderBy(b => b.Item1)];
    }
}
