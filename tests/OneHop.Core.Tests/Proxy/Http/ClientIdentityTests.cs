using System.Net;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration;
using OneHop.Core.Proxy.Http;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>
/// The client-identity headers the YARP forwarder writes (the lean one writes the same, checked end to end) for a
/// request from a trusted proxy: the resolved client, the proxy's host and port, or the chain with the proxy added.
/// </summary>
public sealed class ClientIdentityTests
{
    private static readonly TrustedProxiesConfig Trusted = new([IPNetwork.Parse("10.0.0.0/8")], TrustsXForwarded: true);

    [Fact]
    public void Set_writes_the_client_the_trusted_proxy_named_with_its_host_and_port()
    {
        var headers = Write(new ForwardedHeadersConfig(TrustedProxies: Trusted), Trusted);

        Assert.Equal("203.0.113.7", headers["X-Forwarded-For"]);
        Assert.Equal("203.0.113.7", headers["X-Real-IP"]);
        Assert.Equal("https", headers["X-Forwarded-Proto"]);
        Assert.Equal("shop.example.com", headers["X-Forwarded-Host"]);
        Assert.Equal("443", headers["X-Forwarded-Port"]);
    }

    [Fact]
    public void Set_with_the_full_chain_writes_what_the_proxy_sent_and_the_proxy()
    {
        var config = Trusted with { AppendsForwardedFor = true };
        var headers = Write(new ForwardedHeadersConfig(TrustedProxies: config), config);

        Assert.Equal("198.51.100.1, 203.0.113.7, 10.0.0.5", headers["X-Forwarded-For"]);
        Assert.Equal("203.0.113.7", headers["X-Real-IP"]);
    }

    [Fact]
    public void Append_adds_the_proxy_as_the_hop_not_the_client_again()
    {
        var headers = Write(new ForwardedHeadersConfig(ForwardedAction.Append, TrustedProxies: Trusted), Trusted);

        Assert.Equal("198.51.100.1, 203.0.113.7, 10.0.0.5", headers["X-Forwarded-For"]);
        Assert.False(headers.ContainsKey("X-Real-IP"));

        // The proxy's https is the client's, believed; this hop, from the proxy, was plain http: not "https, https".
        Assert.Equal("https, http", headers["X-Forwarded-Proto"]);
    }

    [Fact]
    public void Without_trusted_proxies_a_stray_feature_is_not_read()
    {
        var headers = Write(new ForwardedHeadersConfig(), Trusted);

        Assert.Equal("203.0.113.7", headers["X-Forwarded-For"]); // the address in force, whoever set it
        Assert.Equal("app.internal", headers["X-Forwarded-Host"]);
        Assert.Equal("8080", headers["X-Forwarded-Port"]);
    }

    private static Dictionary<string, string> Write(ForwardedHeadersConfig config, TrustedProxiesConfig trusted)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.5");
        context.Connection.LocalPort = 8080;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("app.internal");
        context.Request.Headers["X-Forwarded-For"] = "198.51.100.1, 203.0.113.7";
        context.Request.Headers["X-Forwarded-Proto"] = "https";
        context.Request.Headers["X-Forwarded-Host"] = "shop.example.com";
        context.Request.Headers["X-Forwarded-Port"] = "443";
        ClientAddressMiddleware.Resolve(context, trusted);

        var written = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        ClientIdentity.Write(context, config, written, static (d, name, value) => d[name] = value);
        return written;
    }
}
