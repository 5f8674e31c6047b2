using OneHop.Core.Configuration.Compression;

namespace OneHop.Core.Tests.Configuration.Compression;

/// <summary>Media types matched as nginx's gzip_types and ASP.NET Core's compression match them: parameters and case ignored.</summary>
public sealed class CompressibleTypesTests
{
    [Theory]
    [InlineData("text/html", true)]
    [InlineData("Text/HTML; charset=utf-8", true)]
    [InlineData(" application/json ;charset=utf-8", true)]
    [InlineData("image/svg+xml", true)]
    [InlineData("image/png", false)]
    [InlineData("application/octet-stream", false)]
    [InlineData("text/event-stream", false)]
    [InlineData("", false)]
    [InlineData("html", false)]
    public void OneHop_s_list_takes_text_and_leaves_binary_and_streams(string contentType, bool matches) =>
        Assert.Equal(matches, CompressibleTypes.Default.Matches(contentType));

    [Theory]
    [InlineData("text/plain", true)]
    [InlineData("text/anything; q=1", true)]
    [InlineData("application/json", true)]
    [InlineData("application/xml", false)]
    [InlineData("textual/plain", false)]
    public void A_whole_type_takes_its_subtypes(string contentType, bool matches) =>
        Assert.Equal(matches, CompressibleTypes.Of(["text/*", "application/json"]).Matches(contentType));

    [Fact]
    public void A_star_takes_every_answer_with_a_type()
    {
        var any = CompressibleTypes.Of(["*"]);
        Assert.True(any.Matches("video/mp4"));
        Assert.False(any.Matches(";charset=utf-8"));
    }

    [Theory]
    [InlineData("text/html", null)]
    [InlineData("text/*", null)]
    [InlineData("*", null)]
    [InlineData("html", "not a media type")]
    [InlineData("text/", "not a media type")]
    [InlineData("/html", "not a media type")]
    [InlineData("text/html/x", "not a media type")]
    [InlineData("text/html;charset=utf-8", "not a media type")]
    [InlineData("*/html", "has a * that is not")]
    [InlineData("text/x*", "has a * that is not")]
    public void Problem_says_what_is_wrong_with_an_entry(string type, string? problem)
    {
        var found = CompressibleTypes.Problem(type);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }
}
