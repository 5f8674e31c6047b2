using Microsoft.AspNetCore.Http;
using OneHop.Core.Proxy.Http;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>Query parameters as Gateway API's query matches read them: names exactly, the first value, decoded.</summary>
public sealed class HttpRequestFactsTests
{
    [Theory]
    [InlineData("?animal=whale", "animal", "whale")]
    [InlineData("?ANIMAL=Whale", "animal", null)]
    [InlineData("?ANIMAL=Whale&animal=dolphin", "animal", "dolphin")]
    [InlineData("?ANIMAL=Whale&animal=dolphin", "ANIMAL", "Whale")]
    [InlineData("?animal=whale&animal=dolphin", "animal", "whale")]
    [InlineData("?color=blue&animal", "animal", "")]
    [InlineData("?sea%20animal=blue+whale", "sea animal", "blue whale")]
    [InlineData("?animal=whale", "anim", null)]
    [InlineData("", "animal", null)]
    public void A_query_parameter_is_found_by_its_exact_name(string query, string name, string? expected)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        Assert.Equal(expected, new HttpRequestFacts(context.Request).Query(name));
    }
}
