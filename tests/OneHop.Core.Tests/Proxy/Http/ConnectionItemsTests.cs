using Microsoft.AspNetCore.Http;
using OneHop.Core.Proxy.Http;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>HttpContext.Items kept with the connection: one dictionary, empty at the start of each request.</summary>
public sealed class ConnectionItemsTests
{
    [Fact]
    public void A_connection_s_requests_share_one_Items_dictionary_emptied_for_each()
    {
        var connection = new ConnectionState();
        var first = connection.NextRequest();
        ConnectionItems.Attach(first);
        first.Items["left"] = "by the first request";

        var next = connection.NextRequest();
        ConnectionItems.Attach(next);

        Assert.Same(first.Items, next.Items);
        Assert.Empty(next.Items);
    }

    [Fact]
    public void Without_connection_state_a_request_keeps_its_own_Items()
    {
        var context = new DefaultHttpContext();
        ConnectionItems.Attach(context);
        context.Items["mine"] = 1;

        Assert.Equal(1, context.Items["mine"]);
    }
}
