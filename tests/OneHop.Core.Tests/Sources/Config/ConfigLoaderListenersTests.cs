using System.Net;
using OneHop.Core.Configuration;
using OneHop.Core.Sources.Config;
using OneHop.Core.State;

namespace OneHop.Core.Tests.Sources.Config;

/// <summary>L4 listeners in the config file: what is read, and every mistake reported with its field.</summary>
public sealed class ConfigLoaderListenersTests
{
    [Fact]
    public void L4_listeners_are_read_with_their_defaults()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            defaults:
              drainTimeout: 1m
            upstreams:
              - name: legacy-tls
                endpoints: [{ address: 10.0.0.9:443 }]
            listeners:
              - name: postgres
                address: 0.0.0.0:5432
                protocol: tcp
                service: db/postgres:5432
                proxyProtocolToBackend: v2
              - name: dns
                address: 0.0.0.0:53
                protocol: udp
                service: kube-system/kube-dns:dns
                idleTimeout: 10s
                maxConnections: 1000
              - name: dns-tcp
                address: 0.0.0.0:53
                protocol: tcp
                service: kube-system/kube-dns:53
              - name: passthrough
                address: 0.0.0.0:8443
                protocol: tls-passthrough
                drainTimeout: 30s
                routes:
                  - { hosts: [DB.example.com], service: db/postgres-tls:5432 }
                  - { hosts: ["*.apps.example.com"], upstream: legacy-tls, proxyProtocolToBackend: v1 }
                upstream: legacy-tls
            """);

        Assert.Empty(result.Diagnostics);
        var config = result.Config!;
        Assert.Equal(TimeSpan.FromMinutes(1), config.Defaults.DrainTimeout);
        var postgres = config.Listeners[0];
        Assert.Equal(ListenerProtocol.Tcp, postgres.Protocol);
        var route = Assert.Single(postgres.L4!.Routes);
        Assert.Equal(new ServicePortRef("db", "postgres", null, 5432), route.Service);
        Assert.Equal(ProxyProtocolVersion.V2, route.ProxyProtocolToBackend);
        Assert.Equal(L4ListenerConfig.DefaultTcpIdleTimeout, postgres.L4.IdleTimeout);
        Assert.Null(postgres.L4.DrainTimeout);

        var dns = config.Listeners[1];
        Assert.Equal(ListenerProtocol.Udp, dns.Protocol);
        Assert.Equal(new ServicePortRef("kube-system", "kube-dns", "dns", null), dns.L4!.Routes[0].Service);
        Assert.Equal(TimeSpan.FromSeconds(10), dns.L4.IdleTimeout);
        Assert.Equal(1000, dns.MaxConnections);

        var passthrough = config.Listeners[3].L4!;
        Assert.Equal(TimeSpan.FromSeconds(30), passthrough.DrainTimeout);
        Assert.Equal(["db.example.com"], passthrough.Routes[0].Hosts);
        Assert.Equal(ProxyProtocolVersion.V1, passthrough.Routes[1].ProxyProtocolToBackend);
        Assert.Empty(passthrough.Routes[2].Hosts);
        Assert.Equal("legacy-tls", passthrough.Routes[2].Upstream);
    }

    [Fact]
    public void The_services_ConfigMaps_are_read()
    {
        var config = ConfigLoader.Parse("onehop.yaml", """
            ingress:
              tcpServicesConfigMap: ingress-nginx/tcp-services
              udpServicesConfigMap: ingress-nginx/udp-services
              nginxConfigMap: ingress-nginx/ingress-nginx-controller
              servicesAddress: 10.0.0.21
            """).Config!;

        Assert.Equal(new ObjectKey("ingress-nginx", "tcp-services"), config.Ingress.TcpServicesConfigMap);
        Assert.Equal(new ObjectKey("ingress-nginx", "udp-services"), config.Ingress.UdpServicesConfigMap);
        Assert.Equal(new ObjectKey("ingress-nginx", "ingress-nginx-controller"), config.Ingress.NginxConfigMap);
        Assert.Equal(IPAddress.Parse("10.0.0.21"), config.Ingress.ServicesAddress);
        Assert.Equal(
            [new ObjectKey("ingress-nginx", "tcp-services"), new ObjectKey("ingress-nginx", "udp-services"), new ObjectKey("ingress-nginx", "ingress-nginx-controller")],
            config.Ingress.NamedConfigMaps);
    }

    [Theory]
    [InlineData("{ address: 0.0.0.0:9000, protocol: sctp }", "listeners[0].protocol", "'sctp' is not one of http, https, h2c, tcp, udp, tls-passthrough")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: udp, service: kube-system/kube-dns:53, routes: [{ hosts: [a.example.com], service: a/b:1 }] }", "listeners[0].routes", "a udp listener has no routes: they choose by the TLS ClientHello's SNI, which only tls-passthrough listeners read; give service or upstream")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: udp, service: kube-system/kube-dns:53, proxyProtocolToBackend: v2 }", "listeners[0].proxyProtocolToBackend", "PROXY protocol to pods is written on TCP connections; a udp listener cannot send it")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: udp, service: kube-system/kube-dns:53, proxyProtocol: { trustedCidrs: [10.0.0.0/8] } }", "listeners[0].proxyProtocol", "PROXY protocol from a firewall in front is read on TCP listeners only; a udp listener cannot have it")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tcp }", "listeners[0]", "a tcp listener needs service (NAMESPACE/NAME:PORT) or upstream (a config upstream's name)")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tcp, service: db/pg:5432, upstream: legacy }", "listeners[0]", "give service or upstream, not both")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tcp, service: postgres:5432 }", "listeners[0].service", "'postgres:5432' is not NAMESPACE/NAME:PORT, e.g. db/postgres:5432")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tcp, service: db/pg:70000 }", "listeners[0].service", "'db/pg:70000': 70000 is not a port from 1 to 65535")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tcp, service: DB/pg:5432 }", "listeners[0].service", "'DB/pg:5432': namespace and name must be DNS labels (lowercase letters, digits, '-')")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tcp, upstream: nowhere }", "listeners[0].upstream", "no upstream is named 'nowhere'")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tcp, service: db/pg:5432, proxyProtocolToBackend: v3 }", "listeners[0].proxyProtocolToBackend", "'v3' is not v1 or v2")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tcp, service: db/pg:5432, idleTimeout: forever }", "listeners[0].idleTimeout", "'forever' is not a positive duration such as 250ms, 5s or 2m (at most 576h)")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: http, service: db/pg:5432 }", "listeners[0].service", "only tcp, udp and tls-passthrough listeners take service; this one is http (HTTP listeners route by Ingresses and routes:)")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tls-passthrough }", "listeners[0].routes", "a tls-passthrough listener needs routes by SNI (hosts + service or upstream), or a service or upstream for every name")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tls-passthrough, routes: [{ hosts: [a.example.com], service: a/b:1 }, { hosts: [a.example.com], service: a/c:1 }] }", "listeners[0].routes[1]", "host 'a.example.com' is already routed by listeners[0].routes[0]")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tls-passthrough, routes: [{ service: a/b:1 }], service: a/c:1 }", "listeners[0]", "listeners[0].routes[0] already takes every other name; one route without hosts per listener")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tls-passthrough, routes: [{ hosts: [\"a.example.com:443\"], service: a/b:1 }] }", "listeners[0].routes[0].hosts[0]", "'a.example.com:443': a host must not contain a port")]
    [InlineData("{ address: 0.0.0.0:9000, protocol: tls-passthrough, routes: [{ hosts: [a.example.com] }] }", "listeners[0].routes[0]", "a route needs service (NAMESPACE/NAME:PORT) or upstream")]
    public void A_wrong_L4_listener_is_reported_with_its_field(string listener, string field, string message)
    {
        var result = ConfigLoader.Parse("onehop.yaml", $"""
            upstreams:
              - name: legacy
                endpoints: [{"{"} address: 10.0.0.9:25 {"}"}]
            listeners:
              - {listener}
            """);

        Assert.Null(result.Config);
        Assert.Contains(result.Diagnostics, d => d.Field == field && d.Message == message);
    }

    [Theory]
    [InlineData("0.0.0.0:5432", "tcp", "0.0.0.0:5432", "tcp", true)]
    [InlineData("0.0.0.0:5432", "tcp", "127.0.0.1:5432", "tcp", true)]
    [InlineData("[::]:5432", "tcp", "10.0.0.1:5432", "http", true)]
    [InlineData("10.0.0.1:443", "https", "10.0.0.1:443", "tls-passthrough", true)]
    [InlineData("0.0.0.0:53", "udp", "0.0.0.0:53", "tcp", false)]
    [InlineData("0.0.0.0:53", "udp", "0.0.0.0:53", "udp", true)]
    [InlineData("10.0.0.1:5432", "tcp", "10.0.0.2:5432", "tcp", false)]
    [InlineData("127.0.0.1:0", "tcp", "127.0.0.1:0", "tcp", false)]
    public void Two_listeners_on_one_port_and_transport_clash(string first, string firstProtocol, string second, string secondProtocol, bool clash)
    {
        var result = ConfigLoader.Parse("onehop.yaml", $"""
            listeners:
              - {Listener("first", first, firstProtocol)}
              - {Listener("second", second, secondProtocol)}
            """);

        var port = ListenAddress.Parse(second).Port;
        var expected = $"port {port} is already taken by listener 'first' ({ListenAddress.Parse(first)}); each port and transport can have one listener";
        Assert.Equal(clash, result.Diagnostics.Any(d => d.Field == "listeners[1].address" && d.Message == expected));
        Assert.Equal(clash, result.Config is null);
    }

    [Fact]
    public void A_listener_on_the_admin_port_clashes()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            admin: { address: 127.0.0.1:9901 }
            listeners:
              - { name: sneaky, address: 0.0.0.0:9901, protocol: tcp, service: db/pg:5432 }
            """);

        Assert.Contains(result.Diagnostics, d => d.Field == "listeners[0].address" && d.Message == "port 9901 is already taken by the admin API (127.0.0.1:9901)");
    }

    [Theory]
    [InlineData("tcpServicesConfigMap: tcp-services", "ingress.tcpServicesConfigMap", "'tcp-services' is not NAMESPACE/NAME of a ConfigMap, e.g. ingress-nginx/tcp-services")]
    [InlineData("nginxConfigMap: ingress-nginx-controller", "ingress.nginxConfigMap", "'ingress-nginx-controller' is not NAMESPACE/NAME of a ConfigMap, e.g. ingress-nginx/tcp-services")]
    [InlineData("udpServicesConfigMap: a/b/c", "ingress.udpServicesConfigMap", "'a/b/c' is not NAMESPACE/NAME of a ConfigMap, e.g. ingress-nginx/tcp-services")]
    [InlineData("servicesAddress: everywhere", "ingress.servicesAddress", "'everywhere' is not an IP address (0.0.0.0 for every address)")]
    public void A_wrong_ConfigMap_setting_is_reported(string line, string field, string message)
    {
        var result = ConfigLoader.Parse("onehop.yaml", $"ingress:\n  {line}\n");
        Assert.Contains(result.Diagnostics, d => d.Field == field && d.Message == message);
    }

    private static string Listener(string name, string address, string protocol) => protocol switch
    {
        "tcp" or "udp" => $"{{ name: {name}, address: \"{address}\", protocol: {protocol}, service: db/pg:5432 }}",
        "tls-passthrough" => $"{{ name: {name}, address: \"{address}\", protocol: {protocol}, service: db/pg:5432 }}",
        _ => $"{{ name: {name}, address: \"{address}\", protocol: {protocol} }}",
    };
}
