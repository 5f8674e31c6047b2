using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Routing;

/// <summary>A request's host selects the most specific Gateway listener: exact, then the longest wildcard, then none.</summary>
public sealed class ListenerHostsTests
{
    private static readonly ListenerHosts Listeners = new(["", "*.example.com", "*.foo.example.com", "abc.foo.example.com"]);

    [Theory]
    [InlineData("bar.com", "")]
    [InlineData("bar.example.com", "*.example.com")]
    [InlineData("a.b.example.com", "*.example.com")]
    [InlineData("bar.foo.example.com", "*.foo.example.com")]
    [InlineData("ABC.foo.example.com", "abc.foo.example.com")]
    [InlineData("example.com", "")]
    [InlineData("", "")]
    public void The_most_specific_listener_is_selected(string host, string expected) =>
        Assert.Equal(expected, Listeners.Select(host));

    [Fact]
    public void Without_a_listener_for_every_host_an_unmatched_host_selects_none()
    {
        var listeners = new ListenerHosts(["*.example.com"]);
        Assert.Null(listeners.Select("example.org"));
        Assert.Null(listeners.Select(string.Empty));
        Assert.Equal("*.example.com", listeners.Select("www.example.com"));
    }
}
