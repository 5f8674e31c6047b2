using System.Net;
using OneHop.Core.Configuration;

namespace OneHop.Core.Tests.Sources.Config;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData("*:8080", "0.0.0.0", 8080)]
    [InlineData("localhost:9901", "127.0.0.1", 9901)]
    [InlineData("[::]:443", "::", 443)]
    [InlineData("[::1]:8443", "::1", 8443)]
    public void Parses(string text, string address, int port)
    {
        Assert.True(ListenAddress.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(new ListenAddress(IPAddress.Parse(address), port), parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("8080")]
    [InlineData("0.0.0.0")]
    [InlineData("0.0.0.0:http")]
    [InlineData("0.0.0.0:70000")]
    [InlineData("example.com:80")]
    [InlineData("[::1]")]
    public void Rejects_with_a_reason(string text)
    {
        Assert.False(ListenAddress.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
