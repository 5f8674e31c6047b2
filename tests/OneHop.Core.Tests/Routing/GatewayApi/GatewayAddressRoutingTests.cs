using System.Net;
using OneHop.Core.Configuration;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>
/// Gateways on one port told apart by their own <c>spec.addresses</c>: each Gateway's routes match only requests that
/// arrived on its address; a Gateway without addresses is served on every one.
/// </summary>
public sealed class GatewayAddressRoutingTests
{
    private static readonly IPAddress First = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Second = IPAddress.Parse("192.0.2.11");
    private static readonly IPAddress Other = IPAddress.Parse("192.0.2.12");

    [Fact]
    public void Each_gateways_routes_are_matched_on_its_own_address_and_a_shared_route_on_both()
    {
        var table = new RouteTable(Translate().Snapshot);

        Assert.Equal("HTTPRoute infra/first-only", Source(table, "/", First));
        Assert.Equal("HTTPRoute infra/second-only", Source(table, "/", Second));
        Assert.Equal("HTTPRoute infra/shared", Source(table, "/shared", First));
        Assert.Equal("HTTPRoute infra/shared", Source(table, "/shared", Second));

        // Another address serves neither Gateway's routes, only those of the Gateway that asked for no address, which
        // every address serves (an IPv4-mapped one as its IPv4 address).
        Assert.Null(Source(table, "/", Other));
        Assert.Equal("HTTPRoute infra/anywhere", Source(table, "/anywhere", Other));
        Assert.Equal("HTTPRoute infra/anywhere", Source(table, "/anywhere", First));
        Assert.Equal("HTTPRoute infra/second-only", Source(table, "/", IPAddress.Parse("::ffff:192.0.2.11")));
    }

    [Fact]
    public void A_shared_routes_copies_have_ids_of_their_own_naming_the_address()
    {
        var routes = Translate().Snapshot.Routes.Where(r => r.Source.StartsWith("HTTPRoute infra/shared ", StringComparison.Ordinal)).ToList();

        Assert.Equal(["192.0.2.10", "192.0.2.11"], routes.Select(r => r.Address).Order(StringComparer.Ordinal));
        Assert.Equal(2, routes.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(routes, r => Assert.EndsWith($"@{r.Address}:80", r.Id, StringComparison.Ordinal));
    }

    private static string? Source(RouteTable table, string path, IPAddress local)
    {
        var index = table.MatchIndex("any.example.com", path, 80, default(Get), local);
        return index == RouteTable.NoMatch ? null : table.Routes[index].Source.Split(" spec.", 2)[0];
    }

    private static TranslationResult Translate()
    {
        var yaml = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: onehop}
            spec: {controllerName: onehop.dev/gateway-controller}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: first, namespace: infra}
            spec:
              gatewayClassName: onehop
              addresses: [{value: 192.0.2.10}]
              listeners: [{name: http, port: 80, protocol: HTTP}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: second, namespace: infra}
            spec:
              gatewayClassName: onehop
              addresses: [{type: IPAddress, value: 192.0.2.11}]
              listeners: [{name: http, port: 80, protocol: HTTP}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: unaddressed, namespace: infra}
            spec:
              gatewayClassName: onehop
              listeners: [{name: http, port: 80, protocol: HTTP}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: shared, namespace: infra}
            spec:
              parentRefs: [{name: first}, {name: second}]
              rules: [{matches: [{path: {type: PathPrefix, value: /shared}}], backendRefs: [{name: web, port: 80}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: first-only, namespace: infra}
            spec:
              parentRefs: [{name: first}]
              rules: [{matches: [{path: {type: PathPrefix, value: /}}], backendRefs: [{name: web, port: 80}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: second-only, namespace: infra}
            spec:
              parentRefs: [{name: second}]
              rules: [{matches: [{path: {type: PathPrefix, value: /}}], backendRefs: [{name: web, port: 80}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: anywhere, namespace: infra}
            spec:
              parentRefs: [{name: unaddressed}]
              rules: [{matches: [{path: {type: PathPrefix, value: /anywhere}}], backendRefs: [{name: web, port: 80}]}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: infra}
            spec:
              ports: [{port: 80, targetPort: 8080}]
            """;
        var settings = new GatewaySettings { Addresses = [First, Second, Other] };
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), OneHopConfig.Default with { Gateway = settings }));
    }

    /// <summary>A GET without headers or query.</summary>
    private readonly struct Get : IRequestFacts
    {
        public string Method => "GET";

        public string? Header(string name) => null;

        public string? Query(string name) => null;
    }
}
