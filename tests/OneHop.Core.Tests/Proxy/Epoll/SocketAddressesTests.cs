using System.Net;
using OneHop.Core.Proxy.Epoll;

namespace OneHop.Core.Tests.Proxy.Epoll;

public sealed class SocketAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1", 8080, 16)]
    [InlineData("203.0.113.7", 65535, 16)]
    [InlineData("::1", 443, 28)]
    [InlineData("2001:db8::42", 1, 28)]
    public void An_endpoint_written_as_a_sockaddr_reads_back_the_same(string address, int port, int length)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(address), port);
        var buffer = new byte[SocketAddresses.MaxSize];

        Assert.Equal(length, SocketAddresses.Write(endpoint, buffer));
        Assert.Equal(endpoint, SocketAddresses.Read(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void The_port_is_in_network_order_and_an_ipv6_scope_is_kept()
    {
        var endpoint = new IPEndPoint(IPAddress.Parse("fe80::1%3"), 0x1F90);
        var buffer = new byte[SocketAddresses.MaxSize];
        SocketAddresses.Write(endpoint, buffer);

        Assert.Equal(new byte[] { 0x1F, 0x90 }, buffer[2..4]);
        Assert.Equal(3, SocketAddresses.Read(buffer)!.Address.ScopeId);
    }

    [Fact]
    public void Another_family_or_a_short_address_reads_as_none()
    {
        var unix = new byte[SocketAddresses.MaxSize];
        unix[0] = 1; // AF_UNIX

        Assert.Null(SocketAddresses.Read(unix));
        Assert.Null(SocketAddresses.Read(new byte[8]));
    }
}
