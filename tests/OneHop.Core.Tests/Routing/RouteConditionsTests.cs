using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Routing;

/// <summary>
/// Gateway API's RegularExpression matches, which the conformance suite has no case for at 4564255ac: a header, query
/// parameter or path expression must match the whole value, as Envoy's RE2 full match does.
/// </summary>
public sealed class RouteConditionsTests
{
    [Theory]
    [InlineData("v[0-9]+", "v12", true)]
    [InlineData("v[0-9]+", "v12-beta", false)]
    [InlineData("v[0-9]+", "xv12", false)]
    [InlineData("one|two", "two", true)]
    [InlineData("one|two", "one-two", false)]
    [InlineData(".*", "", true)]
    public void A_header_expression_must_match_the_whole_value(string pattern, string value, bool matches)
    {
        var conditions = new RouteConditions(null, [ValueMatch.Regex("Version", pattern, out _)!], []);
        Assert.Equal(matches, conditions.Matches("/", new Request(Headers: new() { ["version"] = value })));
    }

    [Fact]
    public void A_query_expression_must_match_the_whole_value_and_an_absent_parameter_never_does()
    {
        var conditions = new RouteConditions(null, [], [ValueMatch.Regex("animal", "wh[a-z]+", out _)!]);
        Assert.True(conditions.Matches("/", new Request(Query: new() { ["animal"] = "whale" })));
        Assert.False(conditions.Matches("/", new Request(Query: new() { ["animal"] = "a whale" })));
        Assert.False(conditions.Matches("/", new Request()));
    }

    [Theory]
    [InlineData("/v[0-9]+/.*", "/v2/items", true)]
    [InlineData("/v[0-9]+/.*", "/api/v2/items", false)]
    [InlineData("/v[0-9]+", "/v2/items", false)]
    public void A_path_expression_must_match_the_whole_path(string pattern, string path, bool matches) =>
        Assert.Equal(matches, new RouteConditions(null, [], [], pattern).Matches(path, new Request()));

    [Theory]
    [InlineData("(?=a)a")]
    [InlineData("(a)\\1")]
    [InlineData("(unclosed")]
    public void An_expression_the_safe_engine_cannot_run_is_refused_with_the_reason(string pattern)
    {
        Assert.Null(ValueMatch.Regex("x", pattern, out var problem));
        Assert.Contains(pattern, problem, StringComparison.Ordinal);
    }

    private readonly record struct Request(string Method = "GET", Dictionary<string, string>? Headers = null, Dictionary<string, string>? Query = null) : IRequestFacts
    {
        public string? Header(string name) => Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

        string? IRequestFacts.Query(string name) => Query?.GetValueOrDefault(name);
    }
}
