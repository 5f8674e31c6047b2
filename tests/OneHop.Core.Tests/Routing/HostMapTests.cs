using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Routing;

public sealed class HostMapTests
{
    private readonly HostMap<string> _map = new(
    [
        KeyValuePair.Create("a.example.com", "exact"),
        KeyValuePair.Create("*.example.com", "wildcard"),
        KeyValuePair.Create("A.EXAMPLE.COM", "second definition"),
    ]);

    [Theory]
    [InlineData("a.example.com", "exact")]
    [InlineData("A.Example.Com", "exact")]
    [InlineData("b.example.com", "wildcard")]
    [InlineData("x.b.example.com", null)]
    [InlineData("example.com", null)]
    [InlineData("", null)]
    public void Exact_names_come_before_a_one_label_wildcard(string host, string? expected) =>
        Assert.Equal(expected, _map.TryGet(host, out var value) ? value : null);

    [Fact]
    public void A_host_with_an_entry_of_its_own_still_finds_its_wildcard()
    {
        Assert.True(_map.TryGetWildcard("a.example.com", out var value));
        Assert.Equal("wildcard", value);
        Assert.Equal(2, _map.Count);
    }
}
