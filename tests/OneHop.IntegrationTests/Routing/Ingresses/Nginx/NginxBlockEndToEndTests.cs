using OneHop.Core.Proxy.Http;
using OneHop.Core.State;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// The controller ConfigMap's global filters through a real OneHop and pods: <c>block-user-agents</c> and
/// <c>block-referers</c> answer 403 before anything of the route (a redirect included), <c>block-cidrs</c> also where an
/// Ingress's own allow list names the address; <c>proxy-add-original-uri-header</c> gives the pod the target as sent,
/// on both forwarders; an edit of the ConfigMap applies live.
/// </summary>
public sealed class NginxBlockEndToEndTests
{
    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static readonly string[] Blocks =
    [
        "block-user-agents: \"BadBot/1.0, ~*crawler\"",
        "block-referers: \"~*spam\\\\.example\"",
        "block-cidrs: \"127.0.0.66\"",
        "proxy-add-original-uri-header: \"true\"",
    ];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task Blocked_clients_get_403_before_the_route_acts_and_the_pod_sees_the_original_uri(string forwarder)
    {
        await using var pods = await TestPods.StartAsync("shop", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["shop.yaml"] = Yaml.Service("shop", pods)
                + Yaml.NginxIngress("plain", "plain.example.org", "shop")
                + Yaml.NginxIngress("rewritten", "rewritten.example.org", "shop", "/app", null, "rewrite-target: /headers")
                + Yaml.NginxIngress("moved", "moved.example.org", "shop", "/", null, "permanent-redirect: https://elsewhere.example.org/")
                + Yaml.NginxIngress("own-list", "own-list.example.org", "shop", "/", null, "allowlist-source-range: 127.0.0.0/8"),
            ["controller.yaml"] = Yaml.NginxControllerMap(MapKey, Blocks),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { NginxConfigMap = MapKey, Http1Forwarder = forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean });

        // A plain entry is the whole value, case ignored; ~* is found anywhere.
        Assert.Equal((403, "blocked"), await SendAsync(onehop, "plain.example.org", "/", userAgent: "BadBot/1.0"));
        Assert.Equal((403, "blocked"), await SendAsync(onehop, "plain.example.org", "/", userAgent: "badbot/1.0"));
        Assert.Equal((200, null), await SendAsync(onehop, "plain.example.org", "/", userAgent: "BadBot/1.0 (not quite)"));
        Assert.Equal((403, "blocked"), await SendAsync(onehop, "plain.example.org", "/", userAgent: "Mozilla/5.0 (compatible; SomeCRAWLER/2.1)"));
        Assert.Equal((403, "blocked"), await SendAsync(onehop, "plain.example.org", "/", referer: "https://www.SPAM.example/offer"));
        Assert.Equal((200, null), await SendAsync(onehop, "plain.example.org", "/", referer: "https://shop.example/"));

        // Before the route's own answers: the redirect is not given to a blocked client.
        Assert.StartsWith("HTTP/1.1 301 ", await RawFromAsync(onehop, null, "moved.example.org"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 403 ", await RawFromAsync(onehop, null, "moved.example.org", "User-Agent: BadBot/1.0\r\n"), StringComparison.Ordinal);

        // block-cidrs, also where the Ingress's own allow list names the address.
        Assert.StartsWith("HTTP/1.1 403 ", await RawFromAsync(onehop, "127.0.0.66", "plain.example.org"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 403 ", await RawFromAsync(onehop, "127.0.0.66", "own-list.example.org"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 ", await RawFromAsync(onehop, "127.0.0.65", "own-list.example.org"), StringComparison.Ordinal);

        // X-Original-URI: the target as sent, before the rewrite; a client's own is replaced.
        Assert.Equal("/app/x?q=1", await PodSeesAsync(onehop, "rewritten.example.org", "/app/x?q=1", "X-Original-URI"));
        Assert.Equal("/headers", await PodSeesAsync(onehop, "plain.example.org", "/headers", "X-Original-URI"));

        // An edit applies live: without the keys, the same clients pass and the pods get no X-Original-URI.
        await onehop.WriteManifestAsync("controller.yaml", Yaml.NginxControllerMap(MapKey, "use-gzip: \"false\""), Cancel);
        await OneHopInstance.EventuallyAsync(async () => (await SendAsync(onehop, "plain.example.org", "/", userAgent: "BadBot/1.0")).Status == 200, TimeSpan.FromSeconds(10), "the blocks to lift", Cancel);
        Assert.Equal((200, null), await SendAsync(onehop, "plain.example.org", "/", referer: "https://www.spam.example/"));
        Assert.StartsWith("HTTP/1.1 200 ", await RawFromAsync(onehop, "127.0.0.66", "plain.example.org"), StringComparison.Ordinal);
        Assert.Equal("sent-by-client", await PodSeesAsync(onehop, "plain.example.org", "/headers", "X-Original-URI"));
    }

    private static async Task<(int Status, string? Error)> SendAsync(OneHopInstance onehop, string host, string target, string? userAgent = null, string? referer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Host = host;
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        if (referer is not null)
        {
            request.Headers.TryAddWithoutValidation("Referer", referer);
        }

        using var answer = await onehop.Proxy.SendAsync(request, Cancel);
        return ((int)answer.StatusCode, answer.Headers.TryGetValues(ErrorCodes.Header, out var error) ? error.Single() : null);
    }

    /// <summary>A request from <paramref name="source"/> (a loopback address of the test's choosing); the whole answer, redirects not followed.</summary>
    private static async Task<string> RawFromAsync(OneHopInstance onehop, string? source, string host, string headers = "")
    {
        using var connection = await RawConnection.OpenAsync(onehop.Port("http"), source, Cancel);
        await connection.SendAsync($"GET / HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n\r\n", Cancel);
        return await connection.ReadToCloseAsync(Cancel);
    }

    /// <summary>The value of <paramref name="header"/> the pod received (its /headers echo), the client sending its own.</summary>
    private static async Task<string?> PodSeesAsync(OneHopInstance onehop, string host, string target, string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Host = host;
        request.Headers.Add(header, "sent-by-client");
        using var answer = await onehop.Proxy.SendAsync(request, Cancel);
        var body = await answer.Content.ReadAsStringAsync(Cancel);
        Assert.True(answer.IsSuccessStatusCode, body);
        var line = body.Split('\n').FirstOrDefault(l => l.StartsWith(header + ": ", StringComparison.OrdinalIgnoreCase));
        return line?[(header.Length + 2)..].Trim();
    }
}
