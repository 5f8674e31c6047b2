using OneHop.Core.Configuration;

namespace OneHop.Core.Tests.Routing;

public sealed class HostRulesTests
{
    [Theory]
    [InlineData("foo.bar.com", null)]
    [InlineData("*.foo.com", null)]
    [InlineData("a-b.c", null)]
    [InlineData("*", "a wildcard host needs a domain, e.g. *.example.com")]
    [InlineData("foo.*.com", "a wildcard is only allowed as the whole first label, e.g. *.example.com")]
    [InlineData("*foo.com", "a wildcard is only allowed as the whole first label, e.g. *.example.com")]
    [InlineData("Foo.com", "a host must be a lowercase DNS name (a-z, 0-9, '-' and '.')")]
    [InlineData("foo.com:80", "a host must not contain a port")]
    [InlineData("10.0.0.1", "a host must be a DNS name, not an IP address")]
    [InlineData("-foo.com", "a host must be a lowercase DNS name (a-z, 0-9, '-' and '.')")]
    [InlineData("foo..com", "each DNS label must be 1 to 63 characters")]
    public void Validate(string host, string? error) => Assert.Equal(error, HostRules.Validate(host));

    [Theory]
    [InlineData("foo.com", "foo.com")]
    [InlineData("foo.com:8080", "foo.com")]
    [InlineData("foo.com.", "foo.com")]
    [InlineData("foo.com.:443", "foo.com")]
    [InlineData("[::1]:8080", "[::1]")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("", "")]
    public void Normalize_strips_port_and_trailing_dot(string host, string expected) =>
        Assert.Equal(expected, HostRules.Normalize(host).ToString());

    [Theory]
    [InlineData("bar.foo.com", "foo.com")]
    [InlineData("baz.bar.foo.com", "bar.foo.com")]
    [InlineData("foo", "")]
    public void Wildcard_suffix_drops_exactly_one_label(string host, string expected) =>
        Assert.Equal(expected, HostRules.WildcardSuffix(host).ToString());
}
