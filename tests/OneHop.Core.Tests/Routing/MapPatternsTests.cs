using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Routing;

/// <summary>Map source values (skip-access-log-urls here) as nginx's map of $request_uri reads it: whole strings ignoring case, ~ and ~* expressions found anywhere.</summary>
public sealed class MapPatternsTests
{
    [Theory]
    [InlineData("/healthz", true)]
    [InlineData("/HealthZ", true)] // nginx's map compares strings ignoring case
    [InlineData("/healthz?full=1", false)] // the whole $request_uri, query included
    [InlineData("/healthz/deep", false)]
    [InlineData("/metrics", true)]
    [InlineData("/api/metrics?x", true)] // ~ is found anywhere, not anchored
    [InlineData("/api/METRICS", false)] // ~ is case-sensitive
    [InlineData("/Ready/now", true)] // ~* is not
    [InlineData("/page", false)]
    public void A_request_uri_is_skipped_as_nginx_s_map_would(string uri, bool skipped)
    {
        var skips = MapPatterns.Parse(" /healthz, ~metrics ,, ~*^/ready", out var problem);
        Assert.Null(problem);
        Assert.Equal(["/healthz", "~metrics", "~*^/ready"], skips!.Entries);
        Assert.Equal(skipped, skips.Matches(uri));
    }

    /// <summary>As nginx's map: an empty value (an absent header) meets the plain entries only, never an expression.</summary>
    [Fact]
    public void An_empty_value_is_compared_with_the_plain_entries_only()
    {
        Assert.False(MapPatterns.Parse("~^$, ~.*", out _)!.Matches(string.Empty));
        Assert.True(MapPatterns.Parse("~^$, \"\"", out _)!.Matches(string.Empty));
    }

    /// <summary>nginx's parser takes a quoted entry without its quotes: the way to write one with a space.</summary>
    [Fact]
    public void A_quoted_entry_is_read_without_its_quotes()
    {
        var map = MapPatterns.Parse("\"~*bad bot\", 'Evil Agent/1.0'", out var problem);
        Assert.Null(problem);
        Assert.Equal(["~*bad bot", "Evil Agent/1.0"], map!.Entries);
        Assert.True(map.Matches("Mozilla (a BAD BOT)"));
        Assert.True(map.Matches("evil agent/1.0"));
    }

    [Theory]
    [InlineData("~(?<=a)b")] // a lookbehind: the non-backtracking engine refuses it
    [InlineData("/ok,~*(unclosed")]
    [InlineData("~")] // found in every URI: it would keep every request out of the log
    [InlineData("/ok, ~* ")]
    [InlineData("~*a)|(b")] // the whole expression ignores case, so it must be one expression
    public void A_bad_expression_is_a_problem(string value)
    {
        Assert.Null(MapPatterns.Parse(value, out var problem));
        Assert.Contains("regular expression", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_without_an_entry_is_no_map()
    {
        Assert.Null(MapPatterns.Parse(" , ", out var problem));
        Assert.Null(problem);
    }
}
