using OneHop.Core.Routing.L4;

namespace OneHop.Core.Tests.Routing.L4;

public sealed class ServicesConfigMapTests
{
    [Theory]
    [InlineData("5432", "db/postgres:5432", false, 5432, "db/postgres:5432", null)]
    [InlineData("6379", " cache/redis:client ", false, 6379, "cache/redis:client", null)]
    [InlineData("6379", "cache/redis:6379::PROXY", false, 6379, "cache/redis:6379", "V1")]
    [InlineData("6379", "cache/redis:6379::proxy", false, 6379, "cache/redis:6379", "V1")]
    [InlineData("53", "kube-system/kube-dns:53", true, 53, "kube-system/kube-dns:53", null)]
    public void An_entry_is_a_port_and_a_service(string key, string value, bool udp, int port, string service, string? proxy)
    {
        var (parsedPort, route) = ServicesConfigMap.Parse(key, value, $"data[{key}]", udp, out var error)!.Value;

        Assert.Null(error);
        Assert.Equal(port, parsedPort);
        Assert.Equal(service, route.Service!.ToString());
        Assert.Equal(proxy, route.ProxyProtocolToBackend?.ToString());
        Assert.Equal($"data[{key}]", route.Field);
    }

    [Theory]
    [InlineData("0", "db/postgres:5432", false, "the key '0' is not a port from 1 to 65535 to listen on")]
    [InlineData("postgres", "db/postgres:5432", false, "the key 'postgres' is not a port from 1 to 65535 to listen on")]
    [InlineData("5432", "", false, "'' is not namespace/service:port[:PROXY][:PROXY]")]
    [InlineData("5432", "db/postgres", false, "'db/postgres' is not namespace/service:port[:PROXY][:PROXY]")]
    [InlineData("5432", "db/postgres:5432:PROXY:PROXY:PROXY", false, "'db/postgres:5432:PROXY:PROXY:PROXY' is not namespace/service:port[:PROXY][:PROXY]")]
    [InlineData("5432", "db/postgres:5432:SSL", false, "'db/postgres:5432:SSL': after the port only PROXY (or nothing) may follow, twice at most")]
    [InlineData("5432", "db/postgres:5432:PROXY", false, "'db/postgres:5432:PROXY': reading PROXY protocol from clients needs the networks allowed to send it; declare this port as a config listener with proxyProtocol.trustedCidrs")]
    [InlineData("53", "kube-system/kube-dns:53::PROXY", true, "'kube-system/kube-dns:53::PROXY': PROXY protocol to pods is written on TCP connections; a UDP service cannot send it")]
    public void A_bad_entry_says_why(string key, string value, bool udp, string message)
    {
        Assert.Null(ServicesConfigMap.Parse(key, value, "data", udp, out var error));
        Assert.Equal(message, error);
    }
}
