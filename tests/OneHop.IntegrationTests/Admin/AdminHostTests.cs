using System.Net;
using OneHop.Core.Configuration;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Admin;

/// <summary>
/// The admin API answers only for the names it is reached by on purpose, so that a page in a browser on the host
/// cannot read routes and pod addresses through DNS rebinding (its requests carry the attacker's name as Host).
/// </summary>
public sealed class AdminHostTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST.")]
    [InlineData("localhost:{port}")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("[::1]:{port}")]
    [InlineData("127.0.0.2:{port}")]
    [InlineData("ops.example.com")]
    public async Task Loopback_names_the_listeners_own_address_and_configured_names_are_answered(string host)
    {
        await using var onehop = await StartAsync();

        foreach (var path in new[] { "/api/routes", "/api/status", "/metrics", "/healthz", "/readyz" })
        {
            var (status, _, _) = await GetAsync(onehop, path, host);
            Assert.Equal(HttpStatusCode.OK, status);
        }
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("attacker.example:{port}")]
    [InlineData("localhost.attacker.example")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("127.0.0.3:{port}")]
    [InlineData("10.0.0.1")]
    public async Task Any_other_Host_gets_421_with_the_reason(string host)
    {
        await using var onehop = await StartAsync();

        foreach (var path in new[] { "/api/routes", "/api/status", "/api/certificates", "/metrics", "/healthz", "/readyz" })
        {
            var (status, error, body) = await GetAsync(onehop, path, host);
            Assert.Equal(HttpStatusCode.MisdirectedRequest, status);
            Assert.Equal("admin-host", error);
            Assert.Contains("--admin-host", body, StringComparison.Ordinal);
            Assert.DoesNotContain("pod", body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Kubelet_probes_naming_the_pod_address_as_Host_are_answered()
    {
        // The kubelet's httpGet probe sends the pod IP and port as Host; here the listener's own address plays the pod IP.
        await using var onehop = await StartAsync();
        var port = new Uri(onehop.Server.AdminUrl).Port;

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(onehop, "/healthz", $"127.0.0.2:{port}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(onehop, "/readyz", "127.0.0.2")).Status);
    }

    /// <summary>OneHop with its admin listener on 127.0.0.2 (not 127.0.0.1: its own address is allowed by itself) and one extra name.</summary>
    private static Task<OneHopInstance> StartAsync() =>
        OneHopInstance.StartAsync(
            new Dictionary<string, string>(),
            TestTimeouts.Token(),
            configure: o => o with { Admin = ListenAddress.Parse("127.0.0.2:0"), AdminHosts = ["ops.example.com"] });

    private static async Task<(HttpStatusCode Status, string? Error, string Body)> GetAsync(OneHopInstance onehop, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host.Replace("{port}", new Uri(onehop.Server.AdminUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var response = await onehop.Admin.SendAsync(request, TestTimeouts.Token());
        var error = response.Headers.TryGetValues("X-OneHop-Error", out var values) ? values.Single() : null;
        return (response.StatusCode, error, await response.Content.ReadAsStringAsync(TestTimeouts.Token()));
    }
}
