using System.Text.Json;
using System.Text.RegularExpressions;
using OneHop.IntegrationTests.Support;
using OneHop.IntegrationTests.Telemetry;
using YamlDotNet.RepresentationModel;

namespace OneHop.IntegrationTests.Deploy;

/// <summary>The Grafana dashboard and the alert rules in deploy/ query only metrics OneHop exports (docs/metrics.md).</summary>
public sealed partial class MonitoringAssetsTests
{
    private static readonly string[] Keywords = ["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset"];

    [Fact]
    public void The_dashboard_queries_only_catalogued_metrics()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy", "grafana-dashboard.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        AssertCatalogued(expressions, "deploy/grafana-dashboard.json", ["http_server_request_duration_seconds", "http_client_request_duration_seconds", "onehop_outlier_ejections_total", "kestrel_active_connections", "kestrel_tls_handshake_duration_seconds", "onehop_leader"]);
    }

    [Fact]
    public void The_alert_rules_use_only_catalogued_metrics()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy", "prometheusrule.yaml"))));
        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        Assert.Equal("PrometheusRule", root["kind"].ToString());
        var rules = ((YamlSequenceNode)((YamlMappingNode)root["spec"])["groups"])
            .SelectMany(g => (YamlSequenceNode)((YamlMappingNode)g)["rules"])
            .Cast<YamlMappingNode>()
            .ToList();
        Assert.All(rules, r => Assert.StartsWith("OneHop", r["alert"].ToString(), StringComparison.Ordinal));
        AssertCatalogued([.. rules.Select(r => r["expr"].ToString())], "deploy/prometheusrule.yaml", ["http_server_request_duration_seconds", "onehop_http_no_endpoints_total", "onehop_leader", "onehop_tls_certificate_expiry_timestamp_seconds"]);
    }

    [Theory]
    [InlineData("sum by (route) (rate(http_server_request_duration_seconds_count{http_response_status_code=~\"5..\"}[5m]))", "http_server_request_duration_seconds")]
    [InlineData("onehop_leader and max(onehop_routes) < 1", "onehop_leader onehop_routes")]
    public void Metric_names_are_read_from_a_query(string query, string names) =>
        Assert.Equal(names.Split(' '), MetricNames(query));

    private static void AssertCatalogued(IReadOnlyList<string> expressions, string file, string[] expected)
    {
        var catalog = MetricsCatalog.Load();
        var used = expressions.SelectMany(MetricNames).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(used.Where(n => !MetricsCatalog.Covers(catalog, n)).Select(n => $"{file} uses {n}, which is not in docs/metrics.md"));
        Assert.Empty(expected.Where(n => !used.Contains(n)).Select(n => $"{file} does not use {n}"));
    }

    /// <summary>The metric families a PromQL expression reads: strings, label matchers, ranges and grouping labels removed; histogram series folded into their family.</summary>
    private static IEnumerable<string> MetricNames(string query)
    {
        var stripped = Grouping().Replace(Ranges().Replace(Matchers().Replace(Strings().Replace(query, "\"\""), " "), " "), " ");
        return Identifier().Matches(stripped)
            .Where(m => !Keywords.Contains(m.Value) && !stripped[(m.Index + m.Length)..].TrimStart().StartsWith('('))
            .Where(m => m.Value.Contains('_', StringComparison.Ordinal))
            .Select(m => HistogramSeries().Replace(m.Value, string.Empty))
            .Distinct();
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex("_(bucket|count|sum)$")]
    private static partial Regex HistogramSeries();
}
