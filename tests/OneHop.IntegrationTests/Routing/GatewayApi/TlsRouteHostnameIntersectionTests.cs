using System.Net;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// TLSRouteHostnameIntersection (conformance/tests/tlsroute-hostname-intersection.go at 4564255ac), its objects written
/// anew: four Gateways with a Passthrough listener on port 443 (hostname <c>abc.example.com</c>, <c>*.example.com</c>,
/// <c>*.com</c>, none) and TLSRoutes whose hostnames intersect theirs. A name in the intersection reaches its route's
/// pod over the pod's own TLS (tls-backend or tls-backend-2, real TLS clients verifying the pod's certificate); any
/// other name's connection is closed before a pod. The Gateways share the port, so as the suite's implementations give
/// each its own address, each asks for a loopback address of its own in <c>spec.addresses</c>, all served as
/// <c>--gateway-address</c>es: on one address, <c>non.matching.com</c> would otherwise be taken by the <c>*.com</c> route
/// of the fourth Gateway.
/// </summary>
public sealed class TlsRouteHostnameIntersectionTests(TlsRouteHostnameIntersectionTests.Gateways gateways) : IClassFixture<TlsRouteHostnameIntersectionTests.Gateways>
{
    private const string Infra = EchoBackends.Infra;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<int, string, string?, string> Cases => new()
    {
        // Gateway (index), its routes, the backend of other.example.com (null: refused), a name no route of it takes.
        { 0, "tlsroute-more-specific-wc-hostname-x-1", null, "non.matching.com" },
        { 1, "tlsroute-exact-hostname-x-2,tlsroute-less-specific-wc-hostname-x-2", "tls-backend-2", "non.matching.com" },
        { 2, "tlsroute-exact-hostname-x-3,tlsroute-more-specific-wc-hostname-x-3", "tls-backend-2", "non.matching.com" },
        { 3, "tlsroute-exact-hostname-x-4,tlsroute-less-specific-wc-hostname-x-4", "tls-backend-2", "non.matching.org" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_gateway_and_its_routes_are_accepted_with_their_refs_resolved(int gateway, string routes, string? other, string refused)
    {
        _ = (other, refused);
        var status = TlsRouteOneHop.Status(gateways.OneHop);
        var name = Gateways.Names[gateway];
        var report = Assert.Single(status.Gateways, g => g.Ref.Name == name);
        Assert.All(report.Conditions, c => Assert.True(c.Status, c.ToString()));
        Assert.Equal([gateways.Addresses[gateway].ToString()], report.Addresses ?? []);
        Assert.Equal(routes.Split(',').Length, Assert.Single(report.Listeners).AttachedRoutes);
        foreach (var route in routes.Split(','))
        {
            var parent = TlsRouteOneHop.Parent(status, route);
            Assert.Equal(name, parent.GatewayName);
            Assert.Contains(parent.Conditions, c => c is { Type: "Accepted", Status: true });
            Assert.Contains(parent.Conditions, c => c is { Type: "ResolvedRefs", Status: true });
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Names_in_the_intersection_reach_their_backend_and_others_are_refused(int gateway, string routes, string? other, string refused)
    {
        _ = routes;
        var endpoint = new IPEndPoint(gateways.Addresses[gateway], 443);
        var exact = await TcpBackendPod.AskAsync(endpoint, "abc.example.com", gateways.Ca.Ca, Cancel);
        Assert.Equal((true, "tls-backend-0", "abc.example.com"), (exact.IsTls, exact.Pod, exact.ServerName));

        if (other is not null)
        {
            var wildcard = await TcpBackendPod.AskAsync(endpoint, "other.example.com", gateways.Ca.Ca, Cancel);
            Assert.Equal((true, $"{other}-0", "other.example.com"), (wildcard.IsTls, wildcard.Pod, wildcard.ServerName));
        }

        var before = gateways.PodConnections;
        await Assert.ThrowsAnyAsync<Exception>(() => TcpBackendPod.AskAsync(endpoint, refused, gateways.Ca.Ca, Cancel));
        if (other is null)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => TcpBackendPod.AskAsync(endpoint, "other.example.com", gateways.Ca.Ca, Cancel));
        }

        Assert.Equal(before, gateways.PodConnections);
    }

    /// <summary>One OneHop serving the suite's four Gateways, each at an address of its own, and the two TLS pods.</summary>
    public sealed class Gateways : IAsyncLifetime
    {
        public static readonly string[] Names =
        [
            "gw-tlsroute-exact-hostname-x-1", "gw-tlsroute-more-specific-wc-hostname-x-2", "gw-tlsroute-less-specific-wc-hostname-x-3", "gw-tlsroute-empty-hostname-x-4",
        ];

        private static readonly string?[] ListenerHostnames = ["abc.example.com", "\"*.example.com\"", "\"*.com\"", null];

        private TcpBackendPod? _backend;
        private TcpBackendPod? _backend2;
        private OneHopInstance? _onehop;

        internal TestCertificates Ca { get; } = new("Conformance TLS checks CA");

        public IPAddress[] Addresses { get; } = [.. Names.Select(_ => IPAddress.Parse(LoopbackAddresses.Next()))];

        internal OneHopInstance OneHop => _onehop ?? throw new InvalidOperationException("not started");

        /// <summary>Connections either pod accepted.</summary>
        public int PodConnections => (_backend?.Connections ?? 0) + (_backend2?.Connections ?? 0);

        public async ValueTask InitializeAsync()
        {
            // The pods' own certificate (the suite's tls-checks-certificate), for every name the test asks for.
            var certificate = Ca.Issue("abc.example.com", "other.example.com", "non.matching.com", "non.matching.org");
            _backend = TcpBackendPod.Start("tls-backend-0", Infra, certificate);
            _backend2 = TcpBackendPod.Start("tls-backend-2-0", Infra, certificate);
            var gatewaysYaml = string.Join("---\n", Names.Select((name, i) => $$"""
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: {{name}}, namespace: {{Infra}}}
                spec:
                  gatewayClassName: onehop
                  addresses: [{type: IPAddress, value: "{{Addresses[i]}}"}]
                  listeners:
                  - name: listener
                    protocol: TLS
                    port: 443
                    {{(ListenerHostnames[i] is { } h ? $"hostname: {h}" : string.Empty)}}
                    allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}
                    tls: {mode: Passthrough}

                """));
            _onehop = await TlsRouteOneHop.StartAsync(Addresses, new Dictionary<string, string>
            {
                ["tls-backend.yaml"] = _backend.ServiceYaml("tls-backend", tlsPort: 443),
                ["tls-backend-2.yaml"] = _backend2.ServiceYaml("tls-backend-2", tlsPort: 443),
                ["gateways.yaml"] = gatewaysYaml,
                ["routes.yaml"] = string.Join("---\n", [
                    Route("tlsroute-more-specific-wc-hostname-x-1", 0, "\"*.example.com\"", "tls-backend"),
                    Route("tlsroute-exact-hostname-x-2", 1, "abc.example.com", "tls-backend"),
                    Route("tlsroute-less-specific-wc-hostname-x-2", 1, "\"*.com\"", "tls-backend-2"),
                    Route("tlsroute-exact-hostname-x-3", 2, "abc.example.com", "tls-backend"),
                    Route("tlsroute-more-specific-wc-hostname-x-3", 2, "\"*.example.com\"", "tls-backend-2"),
                    Route("tlsroute-exact-hostname-x-4", 3, "abc.example.com", "tls-backend"),
                    Route("tlsroute-less-specific-wc-hostname-x-4", 3, "\"*.com\"", "tls-backend-2"),
                ]),
            }, TestContext.Current.CancellationToken);
            foreach (var address in Addresses)
            {
                await TlsRouteOneHop.BoundAsync(_onehop, $"gateway/tls/{address}:443", TestContext.Current.CancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_onehop is not null)
            {
                await _onehop.DisposeAsync();
            }

            foreach (var pod in new[] { _backend, _backend2 })
            {
                if (pod is not null)
                {
                    await pod.DisposeAsync();
                }
            }

            Ca.Dispose();
        }

        private static string Route(string name, int gateway, string hostname, string service) => $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: TLSRoute
            metadata: {name: {{name}}, namespace: {{Infra}}}
            spec:
              parentRefs: [{name: {{Names[gateway]}}, namespace: {{Infra}}}]
              hostnames: [{{hostname}}]
              rules: [{backendRefs: [{name: {{service}}, port: 443}]}]

            """;
    }
}
