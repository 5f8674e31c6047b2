using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration;
using OneHop.Core.Proxy.Connections;
using OneHop.Core.Proxy.Http;

namespace OneHop.Core.Tests.Proxy.Http;

public sealed class ClientSchemeMiddlewareTests
{
    [Theory]
    [InlineData(nameof(ClientSchemeSource.XForwardedProto), "http", "https")] // TLS terminated in front
    [InlineData(nameof(ClientSchemeSource.XForwardedProto), "https", "http")] // plain HTTP at the proxy, TLS to OneHop
    [InlineData(nameof(ClientSchemeSource.Forwarded), "http", "https")]
    public async Task A_trusted_proxys_header_gives_the_request_the_clients_scheme(string source, string connection, string client)
    {
        var context = Request(connection, client);
        context.Features.Set(TrustedSchemeHeader.For(Enum.Parse<ClientSchemeSource>(source)));

        await new ClientSchemeMiddleware(_ => Task.CompletedTask).InvokeAsync(context);

        Assert.Equal(client, context.Request.Scheme);
    }

    [Fact]
    public async Task Without_a_trusted_proxy_the_header_changes_nothing()
    {
        var context = Request("http", "https");

        await new ClientSchemeMiddleware(_ => Task.CompletedTask).InvokeAsync(context);

        Assert.Equal("http", context.Request.Scheme);
    }

    [Fact]
    public async Task A_trusted_proxy_that_says_nothing_leaves_the_connections_scheme()
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Features.Set(TrustedSchemeHeader.For(ClientSchemeSource.XForwardedProto));

        await new ClientSchemeMiddleware(_ => Task.CompletedTask).InvokeAsync(context);

        Assert.Equal("http", context.Request.Scheme);
    }

    private static DefaultHttpContext Request(string connection, string client)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = connection;
        context.Request.Headers["X-Forwarded-Proto"] = client;
        context.Request.Headers["Forwarded"] = $"proto={client}";
        return context;
    }
}
