using System.Net;
using OneHop.Cli;
using OneHop.Core.Configuration;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Proxy.Http;

public sealed class DrainTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_draining_replica_still_serves_but_fails_readiness_and_closes_keep_alive_connections()
    {
        await using var web = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", web) + Ingress("site", ("www.example.com", "/", "Prefix", "web")) },
            Cancel);
        using var before = await GetAsync(onehop);
        Assert.False(before.Headers.ConnectionClose ?? false);

        onehop.Server.BeginDrain();

        var readiness = await onehop.Admin.GetAsync("/readyz", Cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Contains("draining", await readiness.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        using var during = await GetAsync(onehop);
        Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        Assert.True(during.Headers.ConnectionClose);
        Assert.Equal(HttpStatusCode.OK, (await onehop.Admin.GetAsync("/healthz", Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_draining_replica_sends_HTTP2_clients_GOAWAY_so_their_next_request_opens_a_new_connection()
    {
        using var ca = new TestCertificates();
        await using var foo = await TestPods.StartAsync("foo", 1, Cancel);
        await using var wild = await TestPods.StartAsync("wild", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(OneHop.IntegrationTests.Tls.SniTests.Manifests(ca, foo, wild), Cancel, https: true);
        using var client = ca.Client(onehop.Port("https"));
        await Http2GetAsync(client);
        await Http2GetAsync(client);
        Assert.Equal(1, client.Connections);

        onehop.Server.BeginDrain();
        await Http2GetAsync(client);

        // The GOAWAY that answered the last request makes the client open a new connection for the next one.
        await OneHopInstance.EventuallyAsync(
            async () =>
            {
                await Http2GetAsync(client);
                return client.Connections >= 2;
            },
            TimeSpan.FromSeconds(5),
            "a new HTTP/2 connection after GOAWAY",
            Cancel);
    }

    [Fact]
    public async Task On_stop_the_run_command_drains_for_the_delay_before_the_listeners_close()
    {
        var directory = Directory.CreateTempSubdirectory("onehop-drain-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "all.yaml"), DefaultClass, Cancel);
            var written = new StringWriter();
            var output = TextWriter.Synchronized(written);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
            var options = new OneHop.Hosting.ServerOptions
            {
                ManifestDirectory = directory,
                Http = [ListenAddress.Parse("127.0.0.1:0")],
                Admin = ListenAddress.Parse("127.0.0.1:0"),
                DrainDelay = TimeSpan.FromSeconds(1),
            };
            var running = RunCommand.ServeAsync(options, output, output, stop.Token);
            await OneHopInstance.EventuallyAsync(() => Task.FromResult(Text(output, written).Contains("is ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "ready", Cancel);

            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await stop.CancelAsync();
            Assert.Equal(0, await running);

            Assert.InRange(stopping.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
            var text = Text(output, written);
            Assert.True(text.IndexOf("draining for 1s", StringComparison.Ordinal) < text.IndexOf("is stopping", StringComparison.Ordinal), text);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("6m")]
    public async Task A_drain_delay_that_is_not_a_duration_up_to_five_minutes_is_refused(string delay)
    {
        var output = new StringWriter();
        var exit = await OneHopCli.InvokeAsync(["run", "--manifests", Path.GetTempPath(), "--drain-delay", delay, "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0"], output, output);
        Assert.Equal(2, exit);
        Assert.Contains($"--drain-delay {delay} is not a duration up to 5m", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>What was written so far; the synchronized writer locks itself while writing.</summary>
    private static string Text(TextWriter synchronized, StringWriter written)
    {
        lock (synchronized)
        {
            return written.ToString();
        }
    }

    private static async Task Http2GetAsync(TestCertificates.TlsClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, client.Url("foo.bar.com")) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.Http.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    private static async Task<HttpResponseMessage> GetAsync(OneHopInstance onehop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "www.example.com";
        return await onehop.Proxy.SendAsync(request, Cancel);
    }
}
