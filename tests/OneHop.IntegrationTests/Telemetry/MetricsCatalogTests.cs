using System.Diagnostics.Metrics;
using OneHop.Core.Telemetry;
using OneHop.Core.Telemetry.AccessLog;
using OneHop.Core.Telemetry.Tracing;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Telemetry;

/// <summary>docs/metrics.md against a running server: every series it exports is catalogued, every catalogued metric exists.</summary>
[Collection(nameof(TraceListeners))]
public sealed class MetricsCatalogTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_exported_metric_is_in_the_catalog_and_every_catalogued_one_is_exported()
    {
        var catalog = MetricsCatalog.Load();
        var log = Path.Combine(Path.GetTempPath(), $"onehop-catalog-{Guid.NewGuid():N}.log");
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        try
        {
            await using var onehop = await OneHopInstance.StartAsync(
                new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", pods) + Ingress("site", ("www.example.com", "/", "Prefix", "web")) },
                Cancel,
                "limits:\n  sharedRates:\n    redis: 127.0.0.1:1\n", // registers the shared rates' instruments; nothing is limited, so never dialled
                configure: o => o with { AccessLog = new AccessLogTarget(log), Tracing = new TracingOptions(new Uri("http://127.0.0.1:1")) });
            Assert.Equal(200, (await onehop.GetAsync("/", Cancel, host: "www.example.com")).Status);
            Assert.Equal(404, (await onehop.GetAsync("/", Cancel, host: "nothing.example.com")).Status);

            // Every instrument this server exports, used yet or not (a counter has no series before its first count).
            var instruments = new List<Instrument>();
            using (var listener = new MeterListener())
            {
                listener.InstrumentPublished = (instrument, _) =>
                {
                    if (ReferenceEquals(instrument.Meter.Scope, onehop.Server.Metrics.Meters) && MetricsExport.MeterNames.Contains(instrument.Meter.Name))
                    {
                        instruments.Add(instrument);
                    }
                };
                listener.Start();
            }

            var declared = instruments.Select(MetricsCatalog.Exported).ToDictionary(i => i.Name, i => i.Type, StringComparer.Ordinal);
            var exported = (await MetricsText.ScrapeAsync(onehop.Admin, Cancel)).Types;

            Assert.Empty(exported.Where(e => !MetricsCatalog.Covers(catalog, e.Key)).Select(e => $"{e.Key} is exported but not in {MetricsCatalog.File}"));
            Assert.Empty(declared.Where(d => !catalog.ContainsKey(d.Key)).Select(d => $"{d.Key} ({d.Value}) is a metric of OneHop but not in the catalog"));
            Assert.Empty(catalog.Where(c => !c.Key.EndsWith('*') && !declared.ContainsKey(c.Key)).Select(c => $"{c.Key} is in the catalog but OneHop has no such metric"));
            Assert.Empty(catalog.Where(c => declared.TryGetValue(c.Key, out var type) && type != c.Value).Select(c => $"{c.Key} is a {declared[c.Key]}, the catalog says {c.Value}"));
            Assert.Empty(exported.Where(e => catalog.TryGetValue(e.Key, out var type) && type != e.Value).Select(e => $"{e.Key} is exported as a {e.Value}, the catalog says {catalog[e.Key]}"));
        }
        finally
        {
            File.Delete(log);
        }
    }
}
