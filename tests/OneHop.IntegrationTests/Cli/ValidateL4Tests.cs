using OneHop.Cli;

namespace OneHop.IntegrationTests.Cli;

/// <summary><c>onehop validate</c> on L4 listeners: each mistake named with its field and line, the L4 summary when all is well.</summary>
public sealed class ValidateL4Tests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onehop-validate-l4-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_port_clash_and_a_udp_listener_with_routes_fail_with_their_fields()
    {
        var (exit, output) = await ValidateAsync("""
            listeners:
              - name: http
                address: 0.0.0.0:8080
              - name: clash
                address: 127.0.0.1:8080
                protocol: tcp
                service: db/pg:5432
              - name: dns
                address: 0.0.0.0:53
                protocol: udp
                routes:
                  - { hosts: [a.example.com], service: kube-system/kube-dns:53 }
            """);

        Assert.Equal(1, exit);
        Assert.Contains("listeners[1].address: port 8080 is already taken by listener 'http' (0.0.0.0:8080)", output, StringComparison.Ordinal);
        Assert.Contains("listeners[2].routes: a udp listener has no routes", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_service_fails_and_good_listeners_are_summed_up()
    {
        var (exit, output) = await ValidateAsync("""
            listeners:
              - name: pg
                address: 0.0.0.0:5432
                protocol: tcp
                service: db/pg:5432
              - name: missing
                address: 0.0.0.0:5433
                protocol: tcp
                service: db/missing:5432
            """);

        Assert.Equal(1, exit);
        Assert.Contains("error config listeners[1].service: service db/missing does not exist; connections are closed until it does [UnknownService]", output, StringComparison.Ordinal);
        Assert.Contains("2 L4 listeners, 0 passthrough hosts, 1 L4 endpoints; 1 errors", output, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output)> ValidateAsync(string config)
    {
        var ct = TestContext.Current.CancellationToken;
        var manifests = Directory.CreateDirectory(Path.Combine(_dir, "manifests")).FullName;
        await File.WriteAllTextAsync(Path.Combine(manifests, "pg.yaml"), """
            apiVersion: v1
            kind: Service
            metadata: {name: pg, namespace: db}
            spec:
              ports: [{name: pg, port: 5432, targetPort: 5432}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: pg-1, namespace: db, labels: {kubernetes.io/service-name: pg}}
            addressType: IPv4
            ports: [{name: pg, port: 5432}]
            endpoints:
              - addresses: ["10.0.0.5"]
                targetRef: {kind: Pod, name: pg-0}
            """, ct);
        var file = Path.Combine(_dir, "onehop.yaml");
        await File.WriteAllTextAsync(file, config, ct);
        using var output = new StringWriter();
        var exit = await OneHopCli.InvokeAsync(["validate", "--manifests", manifests, "--config", file], output, output);
        return (exit, output.ToString());
    }
}
