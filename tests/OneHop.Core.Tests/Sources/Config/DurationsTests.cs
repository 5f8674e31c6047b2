using OneHop.Core.Configuration;

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
    [InlineData("99999999999h")]
    [InlineData("99999999999999999999999999999ms")]
    [InlineData("577h")]
    [InlineData("NaNs")]
    [InlineData("Infinitys")]
    [InlineData("1e308s")]
    [InlineData(null)]
    public void Rejects(string? text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void Accepts_up_to_the_longest_duration_a_timer_takes()
    {
        Assert.True(Durations.TryParse("576h", out var longest));
        Assert.Equal(Durations.Max, longest);
        Assert.True(Durations.Max.TotalMilliseconds <= int.MaxValue);
    }
}
