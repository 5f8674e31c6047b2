using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Configuration;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Routing;
using OneHop.Core.Routing.L4;
using OneHop.Core.State;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Tests.Proxy.L4;

/// <summary>
/// An L4 listener's routes by destination address (a Gateway's <c>spec.addresses</c> on a wildcard bind): a connection
/// to a scoped address takes that address's routes, any other the unscoped ones; a listener with scoped routes alone
/// takes no connection to another address.
/// </summary>
public sealed class L4ListenerStateTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_connection_takes_the_routes_of_the_address_it_reached_else_those_of_any_address()
    {
        var listener = Apply(Route("scoped", "127.0.0.2"), Route("any", null), Route("scoped-sni", "127.0.0.2", "db.example.com"));

        Assert.Equal("scoped", listener.Default(IPAddress.Parse("127.0.0.2"))!.Id);
        Assert.Equal("scoped", listener.Default(IPAddress.Parse("::ffff:127.0.0.2"))!.Id);
        Assert.Equal("any", listener.Default(IPAddress.Parse("127.0.0.3"))!.Id);
        Assert.Equal("scoped-sni", listener.Match("db.example.com", IPAddress.Parse("127.0.0.2"))!.Id);
        Assert.Equal("any", listener.Match("db.example.com", IPAddress.Parse("127.0.0.3"))!.Id);
        Assert.Equal("any", listener.Default()!.Id);
    }

    [Fact]
    public void Scoped_routes_alone_take_no_connection_to_another_address()
    {
        var listener = Apply(Route("scoped", "127.0.0.2"));

        Assert.Null(listener.Default(IPAddress.Parse("127.0.0.3")));
        Assert.Null(listener.Match("db.example.com", IPAddress.Parse("127.0.0.3")));
        Assert.Equal("scoped", listener.Default(IPAddress.Parse("127.0.0.2"))!.Id);
    }

    private static L4Route Route(string id, string? address, string host = "") => new(id, host, "tcp/db/pg:5432", null, "test") { Address = address };

    private L4ListenerState Apply(params L4Route[] routes)
    {
        var metrics = new L4Metrics(new ScopedMeterFactory().Create(MetricsExport.MeterName));
        var dataPlane = new L4DataPlane(new EndpointRuntimeRegistry(_time), new EndpointRuntimeRegistry(_time), metrics, _time);
        var slot = dataPlane.Slot("gateway/tls/0.0.0.0:443");
        var backend = new Backend("tcp/db/pg:5432", "db/pg:5432", BackendKind.Service, BackendProtocol.Tcp, BackendPolicy.Default, [new BackendEndpoint("10.0.0.1", 5432, EndpointState.Ready)]);
        var listener = new L4Listener("gateway/tls/0.0.0.0:443", ListenerProtocol.TlsPassthrough, ListenAddress.Parse("0.0.0.0:443"), [.. routes], TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30), Live: true, "test");
        dataPlane.Apply(new PublishedSnapshot(1, RoutingSnapshot.Empty with { L4 = new L4Snapshot([listener], [], [backend]) }, OneHopConfig.Default, ClusterState.Empty, []));
        return dataPlane.Routing.Listener(slot)!;
    }
}
