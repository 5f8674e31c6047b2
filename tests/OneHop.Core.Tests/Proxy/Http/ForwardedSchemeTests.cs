using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration;
using OneHop.Core.Proxy.Http;

namespace OneHop.Core.Tests.Proxy.Http;

public sealed class ForwardedSchemeTests
{
    [Theory]
    [InlineData("https", "https")]
    [InlineData("HTTP", "http")]
    [InlineData(" https ", "https")]
    [InlineData("http, https", "https")] // appended by the proxy: its own hop is the last
    [InlineData("https, http", "http")]
    [InlineData("wss", null)]
    [InlineData("", null)]
    public void X_forwarded_proto_gives_its_last_value(string header, string? expected)
    {
        var headers = new HeaderDictionary { ["X-Forwarded-Proto"] = header };

        Assert.Equal(expected, ForwardedScheme.Read(headers, ClientSchemeSource.XForwardedProto));
    }

    [Theory]
    [InlineData("proto=https", "https")]
    [InlineData("for=203.0.113.7;proto=https;host=shop.example.org", "https")]
    [InlineData("for=\"[2001:db8::1]:4711\";Proto=\"HTTPS\"", "https")]
    [InlineData("for=198.51.100.9;proto=https, for=203.0.113.7;proto=http", "http")]
    [InlineData("for=\"a,b\";proto=https", "https")] // a comma inside quotes does not start an element
    [InlineData("for=203.0.113.7", null)]
    [InlineData("proto=ftp", null)]
    public void Forwarded_gives_the_proto_of_its_last_element(string header, string? expected)
    {
        var headers = new HeaderDictionary { ["Forwarded"] = header };

        Assert.Equal(expected, ForwardedScheme.Read(headers, ClientSchemeSource.Forwarded));
    }

    [Fact]
    public void Only_the_configured_header_counts()
    {
        var headers = new HeaderDictionary { ["X-Forwarded-Proto"] = "https", ["Forwarded"] = "proto=https" };

        Assert.Null(ForwardedScheme.Read(new HeaderDictionary { ["Forwarded"] = "proto=https" }, ClientSchemeSource.XForwardedProto));
        Assert.Null(ForwardedScheme.Read(new HeaderDictionary { ["X-Forwarded-Proto"] = "https" }, ClientSchemeSource.Forwarded));
        Assert.Null(ForwardedScheme.Read(headers, ClientSchemeSource.Connection));
    }

    [Fact]
    public void Of_several_header_lines_the_last_counts()
    {
        var headers = new HeaderDictionary { ["X-Forwarded-Proto"] = new(["https", "http"]) };

        Assert.Equal("http", ForwardedScheme.Read(headers, ClientSchemeSource.XForwardedProto));
    }
}
