using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary><c>run --inline-io</c> changes where request code runs, not what it does.</summary>
public sealed class InlineIoTests
{
    [Fact]
    public async Task With_inline_io_requests_are_balanced_and_answered_as_usual()
    {
        var ct = TestTimeouts.Token();
        await using var pods = await TestPods.StartAsync("web", 2, ct);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + AnnotatedService("web", pods.Port, new Dictionary<string, string> { ["load-balance"] = "round-robin" }, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web") },
            ct,
            configure: o => o with { InlineIo = true });

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => onehop.GetAsync("/", ct)));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Equal(["web-0", "web-1"], answers.Select(a => a.Pod!).Distinct().Order());
    }
}
