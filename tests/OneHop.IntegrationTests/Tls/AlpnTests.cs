using System.Net;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Tls;

/// <summary>Clients choose HTTP/2 or HTTP/1.1 by ALPN on the same TLS listener.</summary>
public sealed class AlpnTests
{
    [Theory]
    [InlineData("2.0")]
    [InlineData("1.1")]
    public async Task The_client_gets_the_protocol_it_offers(string version)
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var foo = await TestPods.StartAsync("foo", 1, ct);
        await using var wild = await TestPods.StartAsync("wild", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(SniTests.Manifests(ca, foo, wild), ct, https: true);
        using var client = ca.Client(onehop.Port("https"));

        using var request = new HttpRequestMessage(HttpMethod.Get, client.Url("foo.bar.com", "/headers"))
        {
            Version = Version.Parse(version),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.Http.SendAsync(request, ct);
        var seenByPod = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Version.Parse(version), response.Version);
        Assert.Contains("X-Forwarded-Proto: https", seenByPod, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Forwarded-Host: foo.bar.com", seenByPod, StringComparison.OrdinalIgnoreCase);
    }
}
