using OneHop.Cli;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Balancing;

/// <summary>Affinity cookies signed with the operator's key: every replica with the key honours them, others do not.</summary>
public sealed class AffinityKeyTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_cookie_from_one_replica_pins_the_same_pod_on_another_with_the_same_key_only()
    {
        await using var pods = await TestPods.StartAsync("web", 3, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["all.yaml"] = DefaultClass
                + AnnotatedService("web", pods.Port, new Dictionary<string, string> { ["load-balance"] = "cookie" }, [.. pods.All.Select(p => Endpoint.Ready(p))])
                + Ingress("site", ("www.example.com", "/", "Prefix", "web")),
        };
        byte[] secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
        byte[] other = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];
        await using var first = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { AffinityKey = secret });
        await using var second = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { AffinityKey = secret });
        await using var stranger = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { AffinityKey = other });

        var (pod, cookie) = await FirstVisitAsync(first);
        for (var i = 0; i < 10; i++)
        {
            var (pinned, renewed) = await VisitAsync(second, cookie);
            Assert.Equal(pod, pinned);
            Assert.Null(renewed);
        }

        // The stranger cannot read the cookie: it picks a pod itself and issues its own cookie.
        var (_, strangerCookie) = await VisitAsync(stranger, cookie);
        Assert.NotNull(strangerCookie);
        Assert.NotEqual(cookie, strangerCookie);
    }

    [Theory]
    [InlineData("short", 2, "5 bytes; a key needs at least 16")]
    [InlineData(null, 1, "--affinity-key-file")]
    public async Task A_short_or_unreadable_key_file_is_refused(string? content, int exitCode, string message)
    {
        var file = Path.Combine(Path.GetTempPath(), $"onehop-affinity-{Guid.NewGuid():N}.key");
        try
        {
            if (content is not null)
            {
                await File.WriteAllTextAsync(file, content, Cancel);
            }

            var output = new StringWriter();
            var exit = await OneHopCli.InvokeAsync(["run", "--manifests", Path.GetTempPath(), "--affinity-key-file", file, "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0"], output, output);
            Assert.Equal(exitCode, exit);
            Assert.Contains(message, output.ToString(), StringComparison.Ordinal);
            Assert.Contains(file, output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(string Pod, string Cookie)> FirstVisitAsync(OneHopInstance onehop)
    {
        var (pod, cookie) = await VisitAsync(onehop, null);
        return (pod, cookie ?? throw new InvalidOperationException("no affinity cookie was set"));
    }

    /// <summary>One request with the cookie (name=value) if any; the pod that answered and the cookie set, if one was.</summary>
    private static async Task<(string Pod, string? Cookie)> VisitAsync(OneHopInstance onehop, string? cookie)
    {
        // No cookie container: only the cookie passed in is sent.
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = onehop.Proxy.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "www.example.com";
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var response = await client.SendAsync(request, Cancel);
        var pod = response.Headers.GetValues(Core.Demo.DemoPod.PodHeader).Single();
        var set = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Single().Split(';')[0] : null;
        return (pod, set);
    }
}
