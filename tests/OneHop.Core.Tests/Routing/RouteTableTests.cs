using OneHop.Core.Configuration;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Routing;

public sealed class RouteTableTests
{
    private static Route R(string id, string host, string path, PathMatchType type = PathMatchType.Prefix) =>
        new(id, host, path, type, $"backend-{id}", "test");

    private static RouteTable Table(Route? defaultRoute, params Route[] routes) => new(new RoutingSnapshot([.. routes], defaultRoute, []));

    [Theory]
    [InlineData("foo.bar.com", "/", "exact")]
    [InlineData("FOO.bar.com:8080", "/x", "exact")]
    [InlineData("bar.foo.com", "/", "wildcard")]
    [InlineData("baz.bar.foo.com", "/", null)]
    [InlineData("foo.com", "/", null)]
    [InlineData("subdomain.bar.com", "/", null)]
    public void Host_rules_of_the_conformance_suite(string host, string path, string? expected)
    {
        var table = Table(null, R("wildcard", "*.foo.com", "/"), R("exact", "foo.bar.com", "/"));
        Assert.Equal(expected, table.Match(host, path)?.Id);
    }

    [Fact]
    public void Exact_host_beats_wildcard_which_beats_any_host()
    {
        var table = Table(null, R("any", string.Empty, "/"), R("wild", "*.example.com", "/"), R("exact", "www.example.com", "/"));
        Assert.Equal("exact", table.Match("www.example.com", "/")?.Id);
        Assert.Equal("wild", table.Match("shop.example.com", "/")?.Id);
        Assert.Equal("any", table.Match("other.org", "/")?.Id);
    }

    [Fact]
    public void A_less_specific_host_class_is_used_when_the_more_specific_one_has_no_matching_path()
    {
        var table = Table(null, R("api", "foo.com", "/api"), R("web", string.Empty, "/"));
        Assert.Equal("api", table.Match("foo.com", "/api/v1")?.Id);
        Assert.Equal("web", table.Match("foo.com", "/index.html")?.Id);
    }

    [Fact]
    public void Longest_path_wins_and_exact_beats_prefix_of_equal_length()
    {
        var table = Table(
            null,
            R("root", string.Empty, "/"),
            R("aaa", string.Empty, "/aaa"),
            R("aaabbb", string.Empty, "/aaa/bbb"),
            R("foo-prefix", string.Empty, "/foo"),
            R("foo-exact", string.Empty, "/foo", PathMatchType.Exact));
        Assert.Equal("aaabbb", table.Match("h", "/aaa/bbb")?.Id);
        Assert.Equal("aaa", table.Match("h", "/aaa/ccc")?.Id);
        Assert.Equal("root", table.Match("h", "/ccc")?.Id);
        Assert.Equal("foo-exact", table.Match("h", "/foo")?.Id);
        Assert.Equal("foo-prefix", table.Match("h", "/foo/")?.Id);
    }

    [Fact]
    public void A_prefix_written_with_a_trailing_slash_loses_to_exact_for_the_path_without_it()
    {
        // Regression: ranked by the written length, Prefix /foo/ (5) took /foo from Exact /foo (4), though both match
        // /foo with the same 4 characters and the Ingress spec says Exact then wins.
        var table = Table(null, R("foo-prefix", string.Empty, "/foo/"), R("foo-exact", string.Empty, "/foo", PathMatchType.Exact));
        Assert.Equal("foo-exact", table.Match("h", "/foo")?.Id);
        Assert.Equal("foo-prefix", table.Match("h", "/foo/bar")?.Id);
        Assert.Equal("foo-prefix", table.Match("h", "/foo/")?.Id);
    }

    [Fact]
    public void A_gateway_exact_path_beats_a_longer_gateway_prefix_that_matches_it_too()
    {
        // httproute-path-match-order.yaml: PathPrefix /match/ matches /match (a trailing / is ignored), yet Exact /match wins.
        var table = Table(
            null,
            R("exact", string.Empty, "/match", PathMatchType.Exact) with { Port = 80 },
            R("prefix", string.Empty, "/match/") with { Port = 80 },
            R("longer", string.Empty, "/match/prefix/") with { Port = 80 });
        Assert.Equal("exact", table.Match("h", "/match")?.Id);
        Assert.Equal("prefix", table.Match("h", "/match/any")?.Id);
        Assert.Equal("longer", table.Match("h", "/match/prefix/any")?.Id);
    }

    [Fact]
    public void The_default_route_takes_what_nothing_matches()
    {
        var table = Table(R(Translator.DefaultRouteId, string.Empty, "/"), R("only", "a.com", "/x", PathMatchType.Exact));
        Assert.Equal("only", table.Match("a.com", "/x")?.Id);
        Assert.Equal(Translator.DefaultRouteId, table.Match("a.com", "/y")?.Id);
        Assert.Equal(Translator.DefaultRouteId, table.Match(string.Empty, "/")?.Id);
        Assert.Equal(1, table.MatchIndex("b.com", "/"));
    }

    [Fact]
    public void No_route_and_no_default_is_no_match()
    {
        var table = Table(null, R("only", "a.com", "/x"));
        Assert.Equal(RouteTable.NoMatch, table.MatchIndex("b.com", "/x"));
    }
}
