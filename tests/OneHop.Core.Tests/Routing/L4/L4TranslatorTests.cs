using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Sources.Config;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.L4;

/// <summary>What golden files cannot show: an L4 route whose config, or tcp-services entry, changes into something that does not resolve.</summary>
public sealed class L4TranslatorTests
{
    private const string Services = """
        apiVersion: v1
        kind: Service
        metadata: { name: postgres, namespace: db }
        spec: { ports: [{ port: 5432 }] }
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: { name: postgres-1, namespace: db, labels: { kubernetes.io/service-name: postgres } }
        addressType: IPv4
        ports: [{ name: "", port: 5432 }]
        endpoints: [{ addresses: ["10.1.0.1"] }]
        """;

    [Fact]
    public void A_route_changed_to_an_unknown_service_keeps_its_last_good_target()
    {
        var cluster = Manifests.State(Services);
        var good = Translator.Translate(new TranslatorInput(cluster, Config("db/postgres:5432"), TranslationMemory.Empty));
        Assert.False(good.HasErrors);

        var broken = Translator.Translate(new TranslatorInput(cluster, Config("db/postgress:5432"), good.Memory));

        var route = Assert.Single(broken.Snapshot.L4!.Listeners).Routes[0];
        Assert.Equal("tcp/db/postgres:5432", route.BackendId);
        Assert.Contains(broken.Diagnostics, d => d.Code == DiagnosticCodes.UnknownService && d.Field == "listeners[0].service"
            && d.Message == "service db/postgress does not exist; connections are closed until it does");
        Assert.Contains(broken.Diagnostics, d => d.Code == DiagnosticCodes.LastGoodKept && d.Message == "connections keep going to db/postgres:5432, the last target that existed");

        // Still remembered: a second broken translation keeps the same target.
        var again = Translator.Translate(new TranslatorInput(cluster, Config("db/postgress:5432"), broken.Memory));
        Assert.Equal("tcp/db/postgres:5432", again.Snapshot.L4!.Listeners[0].Routes[0].BackendId);
    }

    [Fact]
    public void Without_a_last_good_target_the_route_has_a_backend_that_says_why()
    {
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(Services), Config("db/nope:5432")));

        var backend = Assert.Single(result.Snapshot.L4!.Backends);
        Assert.Equal("tcp/db/nope:5432", backend.Id);
        Assert.Empty(backend.Endpoints);
        Assert.Equal("service db/nope does not exist", backend.Problem);
    }

    [Fact]
    public void A_tcp_services_entry_edited_into_a_bad_value_keeps_its_port_on_the_last_good_target()
    {
        var config = ConfigLoader.Parse("onehop.yaml", """
            ingress: { tcpServicesConfigMap: ingress-nginx/tcp-services }
            """).Config!;
        var good = Translator.Translate(new TranslatorInput(Manifests.State(Services + TcpServices("db/postgres:5432")), config, TranslationMemory.Empty));
        Assert.False(good.HasErrors);

        var broken = Translator.Translate(new TranslatorInput(Manifests.State(Services + TcpServices("db/postgres")), config, good.Memory));

        var listener = Assert.Single(broken.Snapshot.L4!.Listeners);
        Assert.Equal(("ingress-nginx/tcp-services/5432", 5432, "tcp/db/postgres:5432"), (listener.Name, listener.Address.Port, listener.Routes[0].BackendId));
        var error = Assert.Single(broken.Diagnostics, d => d.Code == DiagnosticCodes.InvalidConfigMapEntry);
        Assert.Equal(("data[5432]", "'db/postgres' is not namespace/service:port[:PROXY][:PROXY]; the port keeps its last good target, db/postgres:5432"), (error.Field, error.Message));

        // Still remembered the next time; without a good past the port is not opened.
        var again = Translator.Translate(new TranslatorInput(Manifests.State(Services + TcpServices("db/postgres")), config, broken.Memory));
        Assert.Equal("tcp/db/postgres:5432", Assert.Single(again.Snapshot.L4!.Listeners).Routes[0].BackendId);
        var fresh = Translator.Translate(new TranslatorInput(Manifests.State(Services + TcpServices("db/postgres")), config, TranslationMemory.Empty));
        Assert.Null(fresh.Snapshot.L4);
        Assert.Contains(fresh.Diagnostics, d => d.Code == DiagnosticCodes.InvalidConfigMapEntry && d.Message.EndsWith("; this port is not opened", StringComparison.Ordinal));
    }

    [Fact]
    public void No_L4_input_leaves_the_snapshot_without_an_L4_part()
    {
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(Services)));
        Assert.Null(result.Snapshot.L4);
    }

    private static string TcpServices(string value) => $"""

        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {"{"} name: tcp-services, namespace: ingress-nginx {"}"}
        data: {"{"} "5432": "{value}" {"}"}
        """;

    private static OneHopConfig Config(string service) => ConfigLoader.Parse("onehop.yaml", $"""
        listeners:
          - {"{"} name: postgres, address: 0.0.0.0:5432, protocol: tcp, service: {service} {"}"}
        """).Config!;
}
