using System.Net;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration;
using OneHop.Core.Proxy.Http;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>
/// The request's client address, scheme and forwarded host and port from a trusted proxy, and nothing from anyone else.
/// </summary>
public sealed class ClientAddressMiddlewareTests
{
    private static readonly TrustedProxiesConfig Trusted = new([IPNetwork.Parse("10.0.0.0/8")], TrustsXForwarded: true);

    [Fact]
    public void A_trusted_proxy_names_the_client_and_its_scheme_host_and_port()
    {
        var context = Request("10.0.0.5", "203.0.113.7");

        ClientAddressMiddleware.Resolve(context, Trusted);

        Assert.Equal(IPAddress.Parse("203.0.113.7"), context.Connection.RemoteIpAddress);
        Assert.Equal("https", context.Request.Scheme);
        var forwarded = context.Features.Get<ForwardedClient>();
        Assert.Equal(new ForwardedClient(IPAddress.Parse("10.0.0.5"), "shop.example.com", "443", null), forwarded);
    }

    [Fact]
    public void Anyone_else_changes_nothing()
    {
        var context = Request("192.0.2.9", "203.0.113.7");

        ClientAddressMiddleware.Resolve(context, Trusted);

        Assert.Equal(IPAddress.Parse("192.0.2.9"), context.Connection.RemoteIpAddress);
        Assert.Equal("http", context.Request.Scheme);
        Assert.Null(context.Features.Get<ForwardedClient>());
    }

    [Fact]
    public void Real_ip_alone_believes_the_address_but_not_the_other_headers()
    {
        var context = Request("10.0.0.5", "203.0.113.7");

        ClientAddressMiddleware.Resolve(context, Trusted with { TrustsXForwarded = false });

        Assert.Equal(IPAddress.Parse("203.0.113.7"), context.Connection.RemoteIpAddress);
        Assert.Equal("http", context.Request.Scheme);
        Assert.Equal(new ForwardedClient(IPAddress.Parse("10.0.0.5"), null, null, null), context.Features.Get<ForwardedClient>());
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7, 10.0.0.5")]
    [InlineData(null, "10.0.0.5")]
    public void Full_forwarded_for_is_what_the_proxy_sent_and_the_proxy(string? sent, string full)
    {
        var context = Request("10.0.0.5", sent);

        ClientAddressMiddleware.Resolve(context, Trusted with { AppendsForwardedFor = true });

        Assert.Equal(full, context.Features.Get<ForwardedClient>()?.ForwardedFor);
    }

    [Theory]
    [InlineData("a.example.com, b.example.com", "80", "a.example.com", "80")] // the first host, as ingress-nginx
    [InlineData("", "eighty", null, null)]
    [InlineData("evil.example.com/path", "99999", null, null)]
    [InlineData("[2001:db8::1]:8443", "8443", "[2001:db8::1]:8443", "8443")]
    public void A_forwarded_host_or_port_that_is_not_one_is_left_to_onehop(string host, string port, string? keptHost, string? keptPort)
    {
        var context = Request("10.0.0.5", "203.0.113.7");
        context.Request.Headers["X-Forwarded-Host"] = host;
        context.Request.Headers["X-Forwarded-Port"] = port;

        ClientAddressMiddleware.Resolve(context, Trusted);

        var forwarded = context.Features.Get<ForwardedClient>();
        Assert.Equal((keptHost, keptPort), (forwarded?.Host, forwarded?.Port));
    }

    [Fact]
    public void Another_header_can_name_the_client()
    {
        var context = Request("10.0.0.5", "198.51.100.1");
        context.Request.Headers["CF-Connecting-IP"] = "203.0.113.7";

        ClientAddressMiddleware.Resolve(context, Trusted with { Header = "CF-Connecting-IP" });

        Assert.Equal(IPAddress.Parse("203.0.113.7"), context.Connection.RemoteIpAddress);
    }

    /// <summary>With no trusted proxies the lean path pays one read of the routing and no allocation.</summary>
    [Fact]
    public async Task Without_trusted_proxies_a_request_passes_without_allocating()
    {
        var middleware = new ClientAddressMiddleware(_ => Task.CompletedTask, new HttpDataPlane(new Core.Health.EndpointRuntimeRegistry(TimeProvider.System)));
        var context = Request("10.0.0.5", "203.0.113.7");
        await middleware.InvokeAsync(context);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            await middleware.InvokeAsync(context);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), context.Connection.RemoteIpAddress);
    }

    private static DefaultHttpContext Request(string peer, string? forwardedFor)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        context.Request.Scheme = "http";
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        context.Request.Headers["X-Forwarded-Proto"] = "https";
        context.Request.Headers["X-Forwarded-Host"] = "shop.example.com";
        context.Request.Headers["X-Forwarded-Port"] = "443";
        return context;
    }
}
