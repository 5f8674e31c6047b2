using OneHop.Core.Configuration;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Routing;

public sealed class PathRulesTests
{
    // The Ingress spec's Prefix table (kubernetes.io/docs/concepts/services-networking/ingress, "Examples").
    [Theory]
    [InlineData("/foo", "/foo", true)]
    [InlineData("/foo", "/foo/", true)]
    [InlineData("/foo/", "/foo", true)]
    [InlineData("/foo/", "/foo/", true)]
    [InlineData("/aaa/bb", "/aaa/bbb", false)]
    [InlineData("/aaa/bbb", "/aaa/bbb/ccc", true)]
    [InlineData("/aaa/bbb", "/aaa/bbbxyz", false)]
    [InlineData("/aaa/bbb/", "/aaa/bbb", true)]
    [InlineData("/", "/anything/at/all", true)]
    [InlineData("/", "/", true)]
    [InlineData("/foo", "/FOO", false)]
    [InlineData("/aaa", "/aaaccc", false)]
    public void Prefix_matches_element_wise(string rule, string request, bool expected) =>
        Assert.Equal(expected, PathRules.Matches(PathMatchType.Prefix, PathRules.PrefixKey(rule), request));

    [Theory]
    [InlineData("/foo", "/foo", true)]
    [InlineData("/foo", "/foo/", false)]
    [InlineData("/foo/", "/foo", false)]
    [InlineData("/foo", "/FOO", false)]
    [InlineData("/foo", "/bar", false)]
    public void Exact_matches_only_the_same_path_case_sensitively(string rule, string request, bool expected) =>
        Assert.Equal(expected, PathRules.Matches(PathMatchType.Exact, rule, request));

    [Theory]
    [InlineData("/ok", null)]
    [InlineData("/", null)]
    [InlineData("relative", "must be an absolute path (start with /)")]
    [InlineData("/a//b", "must not contain '//'")]
    [InlineData("/a/./b", "must not contain '/./'")]
    [InlineData("/a/../b", "must not contain '/../'")]
    [InlineData("/a%2fb", "must not contain '%2f'")]
    [InlineData("/a%2Fb", "must not contain '%2F'")]
    [InlineData("/a/..", "must not end with '/..' or '/.'")]
    [InlineData("/a/.", "must not end with '/..' or '/.'")]
    public void Validate_rejects_what_the_API_server_rejects(string path, string? error) =>
        Assert.Equal(error, PathRules.Validate(path));

    [Fact]
    public void Precedence_is_longest_path_first_then_exact_before_prefix()
    {
        Route R(string id, string path, PathMatchType type) => new(id, string.Empty, path, type, "b", "test");
        var routes = new List<Route>
        {
            R("a", "/", PathMatchType.Prefix),
            R("b", "/foo", PathMatchType.Prefix),
            R("c", "/foo", PathMatchType.Exact),
            R("d", "/foo/", PathMatchType.Prefix),
            R("e", "/aaa/bbb", PathMatchType.Prefix),
        };

        routes.Sort(Route.ComparePrecedence);

        // By the length that matches: Prefix /foo/ matches what Prefix /foo does, so both come after Exact /foo.
        Assert.Equal(["e", "c", "b", "d", "a"], routes.Select(r => r.Id));
    }
}
