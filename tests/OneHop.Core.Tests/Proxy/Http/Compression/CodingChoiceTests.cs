using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Compression;
using OneHop.Core.Proxy.Http.Compression;

namespace OneHop.Core.Tests.Proxy.Http.Compression;

/// <summary>Accept-Encoding as RFC 9110 §12.5.3 reads it, against the route's codings and the answer's type and length.</summary>
public sealed class CodingChoiceTests
{
    [Theory]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("GZIP", "gzip")]
    [InlineData("br;q=0.5, gzip", "gzip")]
    [InlineData("gzip;q=0.5, br;q=0.5", "br")]
    [InlineData("*", "br")]
    [InlineData("*;q=0.1, gzip;q=0.2", "gzip")]
    [InlineData("br;q=0, *", "gzip")]
    [InlineData("gzip;q=0, br;q=0", null)]
    [InlineData("*;q=0", null)]
    [InlineData("deflate, compress", null)]
    [InlineData("identity", null)]
    [InlineData("gzip;q=0.4, identity", null)]
    [InlineData("gzip, identity;q=0.5", "gzip")]
    [InlineData("gzip, identity;q=0", "gzip")]
    [InlineData("gzip;q=abc", null)]
    [InlineData("*;q=1, gzip;q=0.1", "br")]
    [InlineData("*;q=0.5, identity;q=0.1, gzip;q=0.2", "br")]
    public void The_highest_weight_wins_then_the_policy_s_order(string acceptEncoding, string? expected) =>
        Assert.Equal(expected, Choose(acceptEncoding, CompressionPolicy.Default, Answer("text/html", 4096))?.Name);

    /// <summary>identity weighed through <c>*</c>: a client that takes anything at 1 but gzip at 0.1 prefers the answer as it is.</summary>
    [Fact]
    public void Identity_counts_through_a_star_too()
    {
        var gzipOnly = new CompressionPolicy([CompressionPolicy.Default.Codings[1]]);
        Assert.Null(Choose("*;q=1, gzip;q=0.1", gzipOnly, Answer("text/html", 4096)));
        Assert.Equal("gzip", Choose("*;q=0.1, gzip;q=1", gzipOnly, Answer("text/html", 4096))?.Name);
    }

    [Fact]
    public void A_coding_that_does_not_carry_the_answer_gives_way_to_one_that_does()
    {
        var policy = new CompressionPolicy([
            new(CompressionCoding.Brotli, 4, 20, CompressibleTypes.Of(["text/html"])),
            new(CompressionCoding.Gzip, 1, 1000, CompressibleTypes.Of(["text/html", "application/json"])),
        ]);
        Assert.Equal("gzip", Choose("br, gzip", policy, Answer("application/json", 2000))?.Name);
        Assert.Null(Choose("br, gzip", policy, Answer("application/json", 500)));
        Assert.Equal("br", Choose("br, gzip", policy, Answer("text/html", 500))?.Name);
        Assert.Equal("br", Choose("br, gzip", policy, Answer("text/html", null))?.Name);
        Assert.Null(Choose("br, gzip", policy, Answer("text/html", 0)));
    }

    [Fact]
    public void A_user_agent_refused_a_coding_gets_another()
    {
        var refused = UserAgentPatterns.Parse(["^old-client/"], out _);
        var policy = new CompressionPolicy([
            new(CompressionCoding.Brotli, 4, 20, CompressibleTypes.Default) { DisabledFor = refused },
            new(CompressionCoding.Gzip, 1, 20, CompressibleTypes.Default),
        ]);
        Assert.Equal("gzip", Choose("br, gzip", policy, Answer("text/html", 4096), "Old-Client/1.0")?.Name);
        Assert.Equal("br", Choose("br, gzip", policy, Answer("text/html", 4096), "new-client/2.0")?.Name);
    }

    private static CompressionCoding? Choose(string acceptEncoding, CompressionPolicy policy, HttpResponse response, string? userAgent = null) =>
        CodingChoice.Choose(acceptEncoding, policy, response, userAgent);

    private static HttpResponse Answer(string contentType, long? length)
    {
        var context = new DefaultHttpContext();
        context.Response.ContentType = contentType;
        context.Response.ContentLength = length;
        return context.Response;
    }
}
