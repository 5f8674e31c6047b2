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
    [InlineData("1m30s", 90000)]
    [InlineData("1h30m", 5400000)]
    [InlineData("1s500ms", 1500)]
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
    [InlineData("1m30")]
    [InlineData("s")]
    [InlineData("1m 30s")]
    [InlineData("300h300h")]
    public void Rejects(string? text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void Accepts_up_to_the_longest_duration_a_timer_takes()
    {
        Assert.True(Durations.TryParse("576h", out var longest));
        Assert.Equal(Durations.Max, longest);
        Assert.True(Durations.Max.TotalMilliseconds <= int.MaxValue);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(250, "250ms")]
    [InlineData(10_000, "10s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(300_000, "5m")]
    [InlineData(3_600_000, "1h")]
    [InlineData(5_430_000, "1h30m30s")]
    public void Formats_as_written_and_reads_back(int milliseconds, string text)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Equal(text, Durations.Format(value));
        Assert.True(Durations.TryParse(text, out var read));
        Assert.Equal(value, read);
    }

    [Fact]
    public void The_admin_API_writes_durations_as_annotations_take_them()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(OneHop.Core.Configuration.Policies.BackendPolicy.Default, OneHop.Core.Admin.AdminJsonContext.Default.Options);

        Assert.Contains("\"ewmaDecay\": \"10s\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("00:00:", json, StringComparison.Ordinal);
    }
}
