using System.Text.RegularExpressions;
using OneHop.Core.Proxy.Http;
using OneHop.Core.State;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// The controller ConfigMap's <c>generate-request-id</c>: a request without X-Request-ID gets one of 32 hex digits,
/// the same for its auth-url and its pod, on both forwarders; a client's own passes as sent; without the key none is made.
/// </summary>
public sealed partial class NginxRequestIdEndToEndTests
{
    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task A_request_without_an_id_gets_one_that_its_auth_url_and_pod_both_see(string forwarder)
    {
        await using var auth = await AuthService.StartAsync(Cancel);
        await using var pods = await TestPods.StartAsync("shop", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["shop.yaml"] = Yaml.Service("shop", pods)
                + Yaml.NginxIngress("plain", "plain.example.org", "shop")
                + Yaml.NginxIngress("guarded", "guarded.example.org", "shop", annotations: $"auth-url: \"http://{auth.Address}:{auth.Port}/ok\""),
            ["controller.yaml"] = Yaml.NginxControllerMap(MapKey, "generate-request-id: \"true\""),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { NginxConfigMap = MapKey, Http1Forwarder = forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean });

        var first = await PodSeesAsync(onehop, "plain.example.org", sent: null);
        var second = await PodSeesAsync(onehop, "plain.example.org", sent: null);
        Assert.Matches(HexId(), first);
        Assert.Matches(HexId(), second);
        Assert.NotEqual(first, second);
        Assert.Equal("client-7f3a", await PodSeesAsync(onehop, "plain.example.org", sent: "client-7f3a"));

        var guarded = await PodSeesAsync(onehop, "guarded.example.org", sent: null);
        Assert.Matches(HexId(), guarded);
        Assert.Equal(guarded, auth.Last("guarded.example.org/headers").Header("X-Request-ID"));

        // Without the key, OneHop's default: none is made.
        await onehop.WriteManifestAsync("controller.yaml", Yaml.NginxControllerMap(MapKey, "generate-request-id: \"false\""), Cancel);
        await OneHopInstance.EventuallyAsync(async () => await PodSeesAsync(onehop, "plain.example.org", sent: null) == string.Empty, TimeSpan.FromSeconds(10), "generate-request-id: false to apply", Cancel);
    }

    /// <summary>The X-Request-ID the pod received (empty for none), from its /headers echo.</summary>
    private static async Task<string> PodSeesAsync(OneHopInstance onehop, string host, string? sent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.Host = host;
        if (sent is not null)
        {
            request.Headers.Add("X-Request-ID", sent);
        }

        using var answer = await onehop.Proxy.SendAsync(request, Cancel);
        var body = await answer.Content.ReadAsStringAsync(Cancel);
        Assert.True(answer.IsSuccessStatusCode, body);
        var line = body.Split('\n').FirstOrDefault(l => l.StartsWith("X-Request-ID: ", StringComparison.OrdinalIgnoreCase));
        return line is null ? string.Empty : line["X-Request-ID: ".Length..].Trim();
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex HexId();
}
