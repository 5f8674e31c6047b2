using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary>What pods learn about the client: X-Forwarded-* and RFC 7239 Forwarded, replaced, appended or left alone.</summary>
public sealed class ForwardedHeadersTests
{
    [Theory]
    [InlineData("", "X-Forwarded-For: 127.0.0.1\n", null)]
    [InlineData("forwardedHeaders: {xForwarded: append, forwarded: set}", "X-Forwarded-For: 198.51.100.9, 127.0.0.1\n", "Forwarded: proto=http;host=\"app.example.org\";for=\"127.0.0.1:")]
    [InlineData("forwardedHeaders: {xForwarded: off, forwarded: append}", null, "Forwarded: for=198.51.100.9, proto=http;host=\"app.example.org\";for=\"127.0.0.1:")]
    public async Task The_configured_action_decides_what_the_pod_sees(string config, string? expectedFor, string? expectedForwarded)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pods = await TestPods.StartAsync("app", 1, ct);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["app.yaml"] = Yaml.Service("app", pods) + Yaml.Ingress("app", "/", "app"),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, config.Length == 0 ? null : config);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.Host = "app.example.org";
        request.Headers.Add("X-Forwarded-For", "198.51.100.9");
        request.Headers.Add("Forwarded", "for=198.51.100.9");
        using var response = await onehop.Proxy.SendAsync(request, ct);
        var seen = await response.Content.ReadAsStringAsync(ct);

        if (expectedFor is null)
        {
            // Forwarded is OneHop's and X-Forwarded-* are off: the client's X-Forwarded-* must not reach the pod.
            Assert.DoesNotContain("X-Forwarded-", seen, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.True(seen.Contains(expectedFor, StringComparison.OrdinalIgnoreCase), seen);
        }

        if (expectedForwarded is null)
        {
            // X-Forwarded-* are OneHop's and Forwarded is off: the client's Forwarded must not reach the pod.
            Assert.DoesNotContain(seen.Split('\n'), l => l.StartsWith("Forwarded:", StringComparison.OrdinalIgnoreCase));
        }
        else
        {
            Assert.True(seen.Contains(expectedForwarded, StringComparison.OrdinalIgnoreCase), seen);
        }

        if (config.Contains("xForwarded: off", StringComparison.Ordinal))
        {
            Assert.DoesNotContain("X-Forwarded-Host", seen, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.Contains("X-Forwarded-Host: app.example.org\n", seen, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("X-Forwarded-Proto: http\n", seen, StringComparison.OrdinalIgnoreCase);
        }
    }
}
