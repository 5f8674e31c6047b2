using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary>
/// Pods coming and going under steady load, the way Kubernetes does it (reliability.md §C): no request may fail,
/// including when a pod's listener closes before OneHop has seen its endpoint change.
/// </summary>
public sealed class RolloutTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rolling_update_of_every_pod_loses_no_request()
    {
        await using var pods = await TestPods.StartAsync("web", 3, Cancel);
        var current = new List<string> { "web-0", "web-1", "web-2" };
        var terminating = new List<string>();
        var addresses = pods.All.ToDictionary(p => p.Options.Name, p => p.Options.Address);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["ingress.yaml"] = DefaultClass + Ingress("site", "/", "web"), ["web.yaml"] = Slice() },
            Cancel);
        using var loop = new RequestLoop(onehop, concurrency: 4);
        await Task.Delay(300, Cancel);

        for (var i = 0; i < 3; i++)
        {
            // 1. The new pod starts and becomes ready.
            var replacement = $"web-v2-{i}";
            addresses[replacement] = (await pods.AddAsync("web", replacement, Cancel)).Options.Address;
            current.Add(replacement);
            await onehop.WriteManifestAsync("web.yaml", Slice(), Cancel);
            await Task.Delay(150, Cancel);

            // 2. The old pod is marked terminating (ready: false, serving: true) ...
            var old = $"web-{i}";
            current.Remove(old);
            terminating.Add(old);
            await onehop.WriteManifestAsync("web.yaml", Slice(), Cancel);

            // 3. ... and its process stops a moment later, possibly before OneHop applied step 2.
            await Task.Delay(50, Cancel);
            await pods.StopAsync(old);

            // 4. Its endpoint is removed.
            await Task.Delay(150, Cancel);
            terminating.Remove(old);
            await onehop.WriteManifestAsync("web.yaml", Slice(), Cancel);
        }

        await Task.Delay(300, Cancel);
        var (ok, failures, served) = await loop.StopAsync();

        Assert.Empty(failures);
        Assert.True(ok > 100, $"only {ok} requests completed");
        Assert.Contains("web-v2-0", served);
        Assert.Contains("web-v2-2", served);

        string Slice() => Service("web", pods.Port, [
            .. current.Select(p => new Endpoint(addresses[p], p)),
            .. terminating.Select(p => new Endpoint(addresses[p], p, ReadyCondition: false, ServingCondition: true, TerminatingCondition: true)),
        ]);
    }

    [Fact]
    public async Task A_pod_that_crashes_under_load_costs_no_get()
    {
        await using var pods = await TestPods.StartAsync("web", 3, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", pods) + Ingress("site", "/", "web") },
            Cancel);
        using var loop = new RequestLoop(onehop, concurrency: 4);
        await Task.Delay(300, Cancel);

        await pods.CrashAsync("web-1");
        await Task.Delay(1000, Cancel);
        var (ok, failures, _) = await loop.StopAsync();

        Assert.Empty(failures);
        Assert.True(ok > 100, $"only {ok} requests completed");
        var metrics = await onehop.Admin.GetStringAsync("/metrics", Cancel);
        Assert.Contains("onehop_http_retries_total{reason=\"connect\",service=\"default/web:80\"}", metrics, StringComparison.Ordinal);
    }
}
