using OneHop.Core.Sources.Config;

namespace OneHop.Core.Tests.Sources.Config;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("5s", 5000)]
    [InlineData("1.5s", 1500)]
    [InlineData("2m", 120000)]
    [InlineData("1h", 3600000)]
    public void Parses(string text, double milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("five seconds")]
    [InlineData("-1s")]
    [InlineData("1d")]
    public void Rejects(string text) => Assert.False(Durations.TryParse(text, out _));
}
