using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Sources.Config;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.L4;

/// <summary>What golden files cannot show: an L4 route whose config changes to a Service that does not exist.</summary>
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
    public void No_L4_input_leaves_the_snapshot_without_an_L4_part()
    {
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(Services)));
        Assert.Null(result.Snapshot.L4);
    }

    private static OneHopConfig Config(string service) => ConfigLoader.Parse("onehop.yaml", $"""
        listeners:
          - {"{"} name: postgres, address: 0.0.0.0:5432, protocol: tcp, service: {service} {"}"}
        """).Config!;
}
