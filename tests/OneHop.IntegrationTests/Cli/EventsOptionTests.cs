using OneHop.Cli;

namespace OneHop.IntegrationTests.Cli;

/// <summary><c>run --events</c>: Events are recorded unless turned off, and <c>--help</c> says how.</summary>
public sealed class EventsOptionTests
{
    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "--events" }, true)]
    [InlineData(new[] { "--events=false" }, false)]
    [InlineData(new[] { "--events", "false" }, false)]
    public void Events_are_on_unless_turned_off(string[] option, bool expected)
    {
        var parsed = OneHopCli.Create().Parse(["run", "--in-cluster", .. option]);

        Assert.Empty(parsed.Errors);
        Assert.Equal(expected, parsed.GetValue<bool>("--events"));
    }

    [Fact]
    public async Task Run_help_describes_events_and_how_to_turn_them_off()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        await OneHopCli.InvokeAsync(["run", "--help"], output, errors);

        var help = System.Text.RegularExpressions.Regex.Replace(output.ToString(), @"\s+", " ");
        Assert.Contains("--events <true|false>", help, StringComparison.Ordinal);
        Assert.Contains("--events=false turns it off", help, StringComparison.Ordinal);
    }
}
