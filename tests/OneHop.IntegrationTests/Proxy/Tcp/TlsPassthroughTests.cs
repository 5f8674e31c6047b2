using System.Net.Sockets;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Tcp;

/// <summary>
/// A tls-passthrough listener in front of real TLS servers: the client verifies the pod's own certificate (OneHop
/// never terminates), the SNI picks the route (exact, then wildcard, then the route for every name), and a
/// malformed ClientHello closes the connection and is counted.
/// </summary>
public sealed class TlsPassthroughTests
{
    [Fact]
    public async Task The_client_verifies_the_pods_certificate_and_sni_picks_exact_then_wildcard_then_default()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var db = TlsPod.Start("db-0", ca.Issue("db.example.com", "db.apps.example.com"));
        await using var apps = TlsPod.Start("apps-0", ca.Issue("*.apps.example.com"));
        await using var other = TlsPod.Start("other-0", ca.Issue("other.example.com", "unknown.example.org"));
        var manifests = new Dictionary<string, string>
        {
            ["db.yaml"] = Yaml.Service("db", db.Port, db.Ready()),
            ["apps.yaml"] = Yaml.Service("apps", apps.Port, apps.Ready()),
            ["other.yaml"] = Yaml.Service("other", other.Port, other.Ready()),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, """
            listeners:
              - name: http
                address: 127.0.0.1:0
              - name: passthrough
                address: 127.0.0.1:0
                protocol: tls-passthrough
                routes:
                  - { hosts: [db.example.com, db.apps.example.com], service: default/db:80 }
                  - { hosts: ["*.apps.example.com"], service: default/apps:80 }
                  - { service: default/other:80 }
            """);
        var endpoint = onehop.Server.L4.EndPoints["passthrough"];

        var (exact, certificate) = await TlsPod.AskAsync(endpoint, "db.example.com", ca.Ca, ct);
        Assert.Equal("db-0 db.example.com", exact);
        Assert.Contains("db.example.com", certificate.Subject, StringComparison.Ordinal);
        Assert.Equal("apps-0 x.apps.example.com", (await TlsPod.AskAsync(endpoint, "x.apps.example.com", ca.Ca, ct)).Greeting);
        Assert.Equal("db-0 db.apps.example.com", (await TlsPod.AskAsync(endpoint, "db.apps.example.com", ca.Ca, ct)).Greeting);
        Assert.Equal("other-0 unknown.example.org", (await TlsPod.AskAsync(endpoint, "unknown.example.org", ca.Ca, ct)).Greeting);
    }

    [Fact]
    public async Task A_malformed_client_hello_closes_the_connection_and_is_counted_and_no_pod_sees_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pod = TcpEchoPod.Start("db-0");
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["db.yaml"] = Yaml.Service("db", pod.Port, pod.Ready()) }, ct, """
            listeners:
              - name: http
                address: 127.0.0.1:0
              - name: passthrough
                address: 127.0.0.1:0
                protocol: tls-passthrough
                routes:
                  - { service: default/db:80 }
            """);
        var endpoint = onehop.Server.L4.EndPoints["passthrough"];

        using var plain = await TcpClientHelpers.ConnectAsync(endpoint, ct);
        await plain.SendAsync("GET / HTTP/1.1\r\nHost: db\r\n\r\n", ct);
        Assert.True(await plain.ClosedWithinAsync(TimeSpan.FromSeconds(5), ct), "plain text is not a ClientHello");
        using var broken = await TcpClientHelpers.ConnectAsync(endpoint, ct);
        await broken.SendAsync(new byte[] { 22, 3, 1, 0, 8, 1, 0, 0, 4, 3, 3, 0, 0 }, SocketFlags.None, ct);
        Assert.True(await broken.ClosedWithinAsync(TimeSpan.FromSeconds(5), ct), "a ClientHello cut inside its random");

        Assert.Equal(0, pod.Connections);
        var metrics = await onehop.Admin.GetStringAsync("/metrics", ct);
        Assert.Contains("onehop_l4_refused_total{listener=\"passthrough\",reason=\"bad_client_hello\"} 2", metrics, StringComparison.Ordinal);
    }
}
